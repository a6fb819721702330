/** Pieces the start forms share: a file drop zone, and a start mutation's typed errors in words. */
import { useState } from 'preact/hooks';

export function DropZone(props: { id: string; accept: string; multiple?: boolean; files: File[]; onFiles(files: File[]): void; hint: string }) {
  const [over, setOver] = useState(false);
  return (
    <label
      class={`drop ${over ? 'drop-over' : ''}`}
      for={props.id}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const dropped = [...(event.dataTransfer?.files ?? [])];
        if (dropped.length) props.onFiles(props.multiple ? dropped : dropped.slice(0, 1));
      }}
    >
      <span class="drop-title">{props.files.length ? props.files.map((f) => f.name).join(', ') : `Drop ${props.multiple ? 'files' : 'a file'} here, or choose`}</span>
      <span class="hint">{props.hint}</span>
      <input
        id={props.id}
        type="file"
        accept={props.accept}
        multiple={props.multiple}
        onChange={(event) => props.onFiles([...(event.currentTarget.files ?? [])])}
      />
    </label>
  );
}

/** What a start mutation answers when it did not start: a ValidationError names each field. */
export type StartProblem = { message: string; fields?: Array<{ field: string; message: string }> };

export function problemOf(result: { __typename?: string; message?: string; fields?: Array<{ field: string; message: string }> }): StartProblem {
  return { message: result.message ?? `The gateway answered ${result.__typename ?? 'an unknown result'}.`, fields: result.fields };
}

export function StartProblemMessage({ problem }: { problem: StartProblem }) {
  return (
    <div class="error" role="alert">
      <strong>Not started.</strong> {problem.fields?.length ? 'Please check:' : problem.message}
      {problem.fields?.length ? (
        <ul>
          {problem.fields.map((f) => (
            <li key={f.field + f.message}>
              <code>{f.field.replace(/^input\./, '')}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
