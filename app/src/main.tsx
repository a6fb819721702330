/** The web app's entry: settings from the gateway, the token when the gateway needs one, then the views. */
// Before anything that formats numbers (uPlot does so as it loads).
import './locale.js';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { auth, listenForEmbedderToken } from './api/auth.js';
import { loadSettings, type GatewaySettings } from './api/settings.js';
import { href, useRoute, type Route } from './router.js';
import { ErrorMessage } from './status.js';
import { AnalyseView } from './views/analyse.js';
import { AnalysisView } from './views/analysis.js';
import { JobView } from './views/job.js';
import { ListView } from './views/lists.js';
import { MeasureImagesView } from './views/measure-images.js';
import { NewJobView } from './views/new-job.js';
import { RunView } from './views/run.js';
import { TaskView } from './views/task.js';
import { TokenPrompt } from './views/token.js';

const NAV: Array<{ label: string; to: string; active: (route: Route) => boolean }> = [
  { label: 'Analyse', to: href.analyse(), active: (r) => r.view === 'analyse' },
  { label: 'Face or voice job', to: href.newJob(), active: (r) => r.view === 'new-job' },
  { label: 'Images', to: href.measureImages(), active: (r) => r.view === 'measure-images' },
  { label: 'Analyses', to: href.list('analyses'), active: (r) => (r.view === 'list' && r.kind === 'analyses') || r.view === 'analysis' },
  { label: 'Jobs', to: href.list('jobs'), active: (r) => (r.view === 'list' && r.kind === 'jobs') || r.view === 'job' },
  { label: 'Tasks', to: href.list('tasks'), active: (r) => (r.view === 'list' && r.kind === 'tasks') || r.view === 'task' },
  { label: 'Runs', to: href.list('runs'), active: (r) => (r.view === 'list' && r.kind === 'runs') || r.view === 'run' },
];

function useAuth() {
  const [, setRound] = useState(0);
  useEffect(() => auth.subscribe(() => setRound((r) => r + 1)), []);
  return auth;
}

function View({ route, settings }: { route: Route; settings: GatewaySettings }) {
  switch (route.view) {
    case 'analyse':
      return <AnalyseView settings={settings} />;
    case 'analysis':
      return <AnalysisView id={route.id} />;
    case 'new-job':
      return <NewJobView settings={settings} />;
    case 'job':
      return <JobView id={route.id} />;
    case 'measure-images':
      return <MeasureImagesView settings={settings} />;
    case 'run':
      return <RunView id={route.id} />;
    case 'task':
      return <TaskView id={route.id} />;
    case 'list':
      return <ListView kind={route.kind} />;
    case 'not-found':
      return <ErrorMessage error={`There is no page at “${route.path}”.`} />;
  }
}

function App() {
  const route = useRoute();
  const state = useAuth();
  const [settings, setSettings] = useState<GatewaySettings | null>(null);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  useEffect(() => {
    loadSettings().then(setSettings, (error: unknown) => setSettingsError(`The gateway's settings could not be read (${(error as Error).message}).`));
  }, []);
  // Each view names itself in the tab title, so a person with many tabs (and a screen reader) knows where they are.
  useEffect(() => {
    document.title = `${NAV.find((item) => item.active(route))?.label ?? 'Emotion gateway'} · Emotion gateway`;
  }, [route]);

  const needsToken = settings !== null && ((settings.authentication && !state.token) || state.refusal !== null);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          Emotion gateway
          {settings?.sandbox && (
            <span class="sandbox" title="Simulated providers: nothing leaves this machine">
              sandbox
            </span>
          )}
        </div>
        <nav aria-label="Views">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <a href={item.to} aria-current={item.active(route) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {state.token && (
          <button type="button" class="link" onClick={() => auth.signOut()}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {settingsError && <ErrorMessage error={settingsError} />}
        {!settings && !settingsError && <p class="loading">Loading…</p>}
        {settings && needsToken && <TokenPrompt refusal={state.refusal} />}
        {settings && !needsToken && <View route={route} settings={settings} />}
      </main>
    </>
  );
}

listenForEmbedderToken();
render(<App />, document.getElementById('root')!);
