/** Faces found in images, each with its top emotions (a few elements per face: no chart needed). */
import { emotionColor } from '../charts/colors.js';
import { percent } from '../format.js';

export interface FaceView {
  key: string;
  title: string;
  detail: string | null;
  emotions: Array<{ name: string; score: number }>;
}

export function ImageFaces({ fileName, faces }: { fileName: string; faces: FaceView[] }) {
  return (
    <article class="card image" data-image={fileName}>
      <h3>{fileName}</h3>
      {faces.length === 0 && <p class="hint">No face found.</p>}
      <ul class="faces">
        {faces.map((face) => (
          <li key={face.key} class="face">
            <span class="face-title">{face.title}</span>
            {face.detail && <span class="hint"> {face.detail}</span>}
            {face.emotions.length === 0 ? (
              <p class="hint">Detected, not measured (too small or too uncertain).</p>
            ) : (
              <ol class="bars">
                {face.emotions.map((e) => (
                  <li key={e.name} class="bar-row">
                    <span class="bar-name">{e.name}</span>
                    <span class="bar-track" aria-hidden="true">
                      <span class="bar-fill" style={{ width: `${e.score * 100}%`, background: emotionColor(e.name) }} />
                    </span>
                    <span class="bar-value">{percent(e.score)}</span>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    </article>
  );
}
