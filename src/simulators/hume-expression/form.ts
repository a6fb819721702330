/**
 * Reads an upload's multipart body (§3.1, §4.1) within the 25 MB request limit: it counts the bytes as they
 * arrive and stops reading the moment the body goes over, so memory stays bounded by the limit whatever the
 * client sends. `file` parts are kept (each up to `maxFileBytes`, the rest only counted); the `config` part may be
 * a plain field or a file part; any other part makes the body invalid (v1 takes only these two).
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export interface FilePart {
  filename: string;
  mimeType: string;
  /** The first `maxFileBytes + 1` bytes at most. */
  data: Buffer;
  /** The part's real size. */
  size: number;
}

export type FormResult =
  | { kind: 'ok'; files: FilePart[]; config: string | undefined }
  | { kind: 'invalid'; reason: string }
  | { kind: 'too-large' };

export interface FormLimits {
  maxBodyBytes: number;
  maxFileBytes: number;
  maxConfigBytes: number;
}

/** Enough for any real form; beyond it the body is invalid rather than a parts flood. */
const MAX_PARTS = 1000;

export function readForm(req: IncomingMessage, limits: FormLimits): Promise<FormResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: FormResult) => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      if (result.kind !== 'ok') req.pause(); // stop reading: the caller answers and closes
      resolve(result);
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { parts: MAX_PARTS, fieldSize: limits.maxConfigBytes + 1 } });
    } catch (err) {
      return settle({ kind: 'invalid', reason: `the body is not multipart/form-data: ${(err as Error).message}` });
    }

    const files: FilePart[] = [];
    let config: string | undefined;
    let configParts = 0;
    let problem: string | undefined;
    let openParts = 0;
    let parserDone = false;
    const finish = () => {
      if (!parserDone || openParts > 0) return;
      if (problem !== undefined) settle({ kind: 'invalid', reason: problem });
      else settle({ kind: 'ok', files, config });
    };
    const collect = (stream: NodeJS.ReadableStream, keep: number, done: (data: Buffer, size: number) => void) => {
      openParts++;
      const chunks: Buffer[] = [];
      let kept = 0;
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (kept < keep) {
          const piece = chunk.subarray(0, keep - kept);
          chunks.push(piece);
          kept += piece.length;
        }
      });
      stream.on('end', () => {
        done(Buffer.concat(chunks), size);
        openParts--;
        finish();
      });
      stream.on('error', () => undefined); // the parser's own 'error' reports a broken part
    };
    const onConfig = (text: string, size: number) => {
      configParts++;
      if (configParts > 1) problem ??= 'the body has more than one config part';
      else if (size > limits.maxConfigBytes) problem ??= `the config part is larger than ${limits.maxConfigBytes} bytes`;
      else config = text;
    };

    parser.on('file', (name, stream, info) => {
      if (name === 'file') {
        collect(stream, limits.maxFileBytes + 1, (data, size) => files.push({ filename: info.filename ?? '', mimeType: info.mimeType, data, size }));
      } else if (name === 'config') {
        collect(stream, limits.maxConfigBytes + 1, (data, size) => onConfig(data.toString('utf8'), size));
      } else {
        problem ??= `unexpected part \`${name}\`: the body takes \`file\` and \`config\` parts only`;
        stream.resume();
      }
    });
    parser.on('field', (name, value, info) => {
      if (name === 'config') onConfig(value, info.valueTruncated ? limits.maxConfigBytes + 1 : Buffer.byteLength(value));
      else if (name === 'file') problem ??= 'the file part has no filename or content type: send it as a file';
      else problem ??= `unexpected part \`${name}\`: the body takes \`file\` and \`config\` parts only`;
    });
    parser.on('partsLimit', () => {
      problem ??= `the body has more than ${MAX_PARTS} parts`;
    });
    parser.on('close', () => {
      parserDone = true;
      finish();
    });
    parser.on('error', (err: Error) => settle({ kind: 'invalid', reason: `the multipart body could not be read: ${err.message}` }));

    let received = 0;
    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received > limits.maxBodyBytes) {
        parser.destroy();
        return settle({ kind: 'too-large' });
      }
      // Backpressure: stop reading while the parser catches up.
      if (!parser.write(chunk)) {
        req.pause();
        parser.once('drain', () => {
          if (!settled) req.resume();
        });
      }
    }
    function onEnd(): void {
      parser.end();
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', () => settle({ kind: 'invalid', reason: 'the request was cut off' }));
    req.on('close', () => {
      if (!req.complete) settle({ kind: 'invalid', reason: 'the request was cut off' });
    });
  });
}
