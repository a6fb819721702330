/** Start a Hume batch job over media URLs or uploaded files: faces (video, images) and voice (prosody, bursts). */
import { useState } from 'preact/hooks';
import { execute } from '../api/client.js';
import { asRequestError } from '../api/hooks.js';
import type { GatewaySettings } from '../api/settings.js';
import { StartJob } from '../operations.js';
import { href, navigate } from '../router.js';
import { ErrorMessage } from '../status.js';
import { DropZone, problemOf, StartProblemMessage, type StartProblem } from './forms.js';

/** Sandbox media: the batch simulator makes media of any length from the URL (`duration` in seconds). */
const SANDBOX_PRESETS = [
  { label: '3-hour video (faces)', urls: 'https://media.example/long.mp4?duration=10800', face: true, prosody: false, burst: false },
  { label: '2-minute call (voice)', urls: 'https://media.example/call.wav?duration=120', face: false, prosody: true, burst: true },
  { label: 'Three photos (faces)', urls: 'https://media.example/a.jpg\nhttps://media.example/b.jpg\nhttps://media.example/c.jpg', face: true, prosody: false, burst: false },
];

export function NewJobView({ settings }: { settings: GatewaySettings }) {
  const [urls, setUrls] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [face, setFace] = useState(true);
  const [prosody, setProsody] = useState(false);
  const [burst, setBurst] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<StartProblem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const enabled = settings.analysisProviders.includes('HUME_BATCH');
  const urlList = urls.split(/\s+/).filter(Boolean);

  async function start(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setError(null);
    try {
      const models = { ...(face ? { face: {} } : {}), ...(prosody ? { prosody: {} } : {}), ...(burst ? { burst: true } : {}) };
      const { startJob: result } = await execute(StartJob, { input: { urls: urlList.length ? urlList : null, files: files.length ? files : null, models } });
      if (result.__typename === 'StartJobSuccess') navigate(href.job(result.job.id));
      else setProblem(problemOf(result));
    } catch (failure) {
      setError(asRequestError(failure).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="job-title">
      <h1 id="job-title">A face or voice job</h1>
      <p class="lead">Hume batch measures faces in video and images, and the voice (prosody, vocal bursts) in audio, over media of up to 3 hours.</p>
      {!enabled && <ErrorMessage error="Hume batch is not configured on this gateway (HUME_BASE_URL)." />}
      <form class="card form" onSubmit={start}>
        {settings.sandbox && (
          <fieldset>
            <legend>Sandbox media</legend>
            <div class="actions">
              {SANDBOX_PRESETS.map((preset) => (
                <button
                  type="button"
                  key={preset.label}
                  onClick={() => {
                    setUrls(preset.urls);
                    setFace(preset.face);
                    setProsody(preset.prosody);
                    setBurst(preset.burst);
                  }}
                >
                  {preset.label}
                </button>
              ))}
            </div>
          </fieldset>
        )}
        <label class="field" for="urls">
          Media URLs, one per line
        </label>
        <textarea id="urls" rows={3} value={urls} onInput={(e) => setUrls(e.currentTarget.value)} placeholder="https://…/interview.mp4" />
        <DropZone id="job-files" accept="video/*,audio/*,image/*,.zip" multiple files={files} onFiles={setFiles} hint="Or upload files: up to 100 MB each." />
        <fieldset>
          <legend>Models</legend>
          <label class="choice">
            <input type="checkbox" checked={face} onChange={(e) => setFace(e.currentTarget.checked)} /> Faces
          </label>
          <label class="choice">
            <input type="checkbox" checked={prosody} onChange={(e) => setProsody(e.currentTarget.checked)} /> Voice (prosody)
          </label>
          <label class="choice">
            <input type="checkbox" checked={burst} onChange={(e) => setBurst(e.currentTarget.checked)} /> Vocal bursts
          </label>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !enabled || (urlList.length === 0 && files.length === 0) || !(face || prosody || burst)}>
            {busy ? 'Starting…' : 'Start job'}
          </button>
        </div>
        {problem && <StartProblemMessage problem={problem} />}
        {error && <ErrorMessage error={error} />}
      </form>
    </section>
  );
}
