/** Start an analysis: a WAV (dropped, chosen, or a built-in sample in sandbox mode) sent to the chosen providers. */
import { useState } from 'preact/hooks';
import { execute } from '../api/client.js';
import { asRequestError } from '../api/hooks.js';
import type { GatewaySettings } from '../api/settings.js';
import { providerName } from '../format.js';
import type { AnalysisProvider } from '../gql/graphql.js';
import { AnalyzeMedia } from '../operations.js';
import { href, navigate } from '../router.js';
import { ErrorMessage } from '../status.js';
import { DropZone, problemOf, StartProblemMessage, type StartProblem } from './forms.js';

const CHARTED: AnalysisProvider[] = ['HUME_EXPRESSION', 'PHONEXIA'];
const DESCRIPTION: Record<string, string> = {
  HUME_EXPRESSION: 'emotions per utterance over time, each channel on its own',
  PHONEXIA: 'angry, happy, neutral and sad per channel',
  HUME_BATCH: 'a batch job with every model (prosody, bursts, language); opens as a job',
};

export function AnalyseView({ settings }: { settings: GatewaySettings }) {
  const [source, setSource] = useState<string>(settings.samples.includes('sample:stereo-call.wav') ? 'sample:stereo-call.wav' : settings.samples[0] ?? 'upload');
  const [files, setFiles] = useState<File[]>([]);
  const available = settings.analysisProviders as AnalysisProvider[];
  const [providers, setProviders] = useState<AnalysisProvider[]>(() => {
    const charted = available.filter((p) => CHARTED.includes(p));
    return charted.length ? charted : available;
  });
  const [timerMs, setTimerMs] = useState(3000);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<StartProblem | null>(null);
  const [error, setError] = useState<string | null>(null);

  const file: File | string | null = source === 'upload' ? (files[0] ?? null) : source;

  async function start(event: Event) {
    event.preventDefault();
    if (!file || providers.length === 0) return;
    setBusy(true);
    setProblem(null);
    setError(null);
    try {
      const input = { file, providers, ...(providers.includes('HUME_EXPRESSION') ? { expression: { measurementTimerMs: timerMs } } : {}) };
      const { analyzeMedia: result } = await execute(AnalyzeMedia, { input });
      if (result.__typename === 'AnalyzeMediaSuccess') navigate(href.analysis(result.analysis.id));
      else setProblem(problemOf(result));
    } catch (failure) {
      setError(asRequestError(failure).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="analyse-title">
      <h1 id="analyse-title">Analyse a recording</h1>
      <p class="lead">One upload goes to every provider you choose; each side reports live, and the results share one time axis per channel.</p>
      <form class="card form" onSubmit={start}>
        <fieldset>
          <legend>Recording</legend>
          {settings.samples.map((sample) => (
            <label class="choice" key={sample}>
              <input type="radio" name="source" value={sample} checked={source === sample} onChange={() => setSource(sample)} />
              Built-in sample <code>{sample.replace(/^sample:/, '')}</code>
            </label>
          ))}
          {settings.samples.length > 0 && (
            <label class="choice">
              <input type="radio" name="source" value="upload" checked={source === 'upload'} onChange={() => setSource('upload')} />
              My own WAV file
            </label>
          )}
          {source === 'upload' && (
            <DropZone
              id="recording"
              accept=".wav,audio/wav,audio/x-wav,audio/wave"
              files={files}
              onFiles={setFiles}
              hint="PCM WAV, any rate and channel count; each channel is a speaker."
            />
          )}
        </fieldset>
        <fieldset>
          <legend>Providers</legend>
          {available.length === 0 && <p>No provider that analyses media is configured on this gateway.</p>}
          {available.map((provider) => (
            <label class="choice" key={provider}>
              <input
                type="checkbox"
                name="providers"
                value={provider}
                checked={providers.includes(provider)}
                onChange={(event) =>
                  setProviders((current) => (event.currentTarget.checked ? [...current, provider] : current.filter((p) => p !== provider)))
                }
              />
              {providerName[provider] ?? provider} <span class="hint">— {DESCRIPTION[provider] ?? ''}</span>
            </label>
          ))}
        </fieldset>
        {providers.includes('HUME_EXPRESSION') && (
          <label class="field">
            Hume expression: a measurement every
            <select value={timerMs} onChange={(event) => setTimerMs(Number(event.currentTarget.value))}>
              <option value={3000}>3 s of speech</option>
              <option value={5000}>5 s of speech</option>
              <option value={10000}>10 s of speech</option>
            </select>
          </label>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !file || providers.length === 0}>
            {busy ? 'Starting…' : 'Start analysis'}
          </button>
          {!file && <span class="hint">Choose a recording first.</span>}
          {file && providers.length === 0 && <span class="hint">Choose at least one provider.</span>}
        </div>
        {problem && <StartProblemMessage problem={problem} />}
        {error && <ErrorMessage error={error} />}
      </form>
    </section>
  );
}
