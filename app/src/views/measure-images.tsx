/** Measure the faces in JPEG images with Hume expression (`measureImages`). */
import { useState } from 'preact/hooks';
import { execute } from '../api/client.js';
import { asRequestError } from '../api/hooks.js';
import type { GatewaySettings } from '../api/settings.js';
import { MeasureImages } from '../operations.js';
import { href, navigate } from '../router.js';
import { ErrorMessage } from '../status.js';
import { DropZone, problemOf, StartProblemMessage, type StartProblem } from './forms.js';

/** A real JPEG drawn here (a simple face), for trying the sandbox without a photo at hand. */
function drawnJpeg(index: number): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const g = canvas.getContext('2d')!;
  g.fillStyle = ['#dfe8f1', '#f1e6df', '#e3f1df'][index % 3]!;
  g.fillRect(0, 0, 640, 480);
  g.fillStyle = '#e9c39b';
  g.beginPath();
  g.ellipse(320, 240, 130, 165, 0, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#333';
  for (const x of [270, 370]) {
    g.beginPath();
    g.arc(x, 210, 14, 0, Math.PI * 2);
    g.fill();
  }
  g.lineWidth = 8;
  g.beginPath();
  g.arc(320, 290, 60, 0.15 * Math.PI, (0.85 - index * 0.1) * Math.PI);
  g.stroke();
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(new File([blob], `drawn-face-${index + 1}.jpg`, { type: 'image/jpeg' })) : reject(new Error('no JPEG'))), 'image/jpeg', 0.9),
  );
}

export function MeasureImagesView({ settings }: { settings: GatewaySettings }) {
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<StartProblem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const enabled = settings.analysisProviders.includes('HUME_EXPRESSION');

  async function start(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setError(null);
    try {
      const { measureImages: result } = await execute(MeasureImages, { input: { files } });
      if (result.__typename === 'MeasureSuccess') navigate(href.run(result.run.id));
      else setProblem(problemOf(result));
    } catch (failure) {
      setError(asRequestError(failure).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="images-title">
      <h1 id="images-title">Measure faces in images</h1>
      <p class="lead">Hume expression finds the faces in each JPEG and scores their expressions.</p>
      {!enabled && <ErrorMessage error="Hume expression is not configured on this gateway (HUME_API_KEY)." />}
      <form class="card form" onSubmit={start}>
        <DropZone id="images" accept=".jpg,.jpeg,image/jpeg" multiple files={files} onFiles={setFiles} hint="JPEG, up to 2 MB and 8.3 megapixels each, 100 images." />
        {settings.sandbox && (
          <button type="button" onClick={async () => setFiles(await Promise.all([0, 1].map(drawnJpeg)))}>
            Use two drawn test images
          </button>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || files.length === 0 || !enabled}>
            {busy ? 'Starting…' : 'Measure faces'}
          </button>
        </div>
        {problem && <StartProblemMessage problem={problem} />}
        {error && <ErrorMessage error={error} />}
      </form>
    </section>
  );
}
