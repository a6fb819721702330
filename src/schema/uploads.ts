/** Uploads as start mutations take them: checked, read once, fingerprinted for idempotency. */
import { createHash } from 'node:crypto';
import type { MediaUpload } from '../domain/media.js';
import type { FieldProblem } from './provider-errors.js';

/** Reads each upload once into memory (yoga has it buffered already) with its MD5 for the idempotency fingerprint. */
export async function readUploads(files: File[]): Promise<MediaUpload[]> {
  return Promise.all(
    files.map(async (file) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      return {
        filename: file.name || 'upload',
        contentType: file.type || 'application/octet-stream',
        data: new Blob([bytes], { type: file.type || 'application/octet-stream' }),
        md5: createHash('md5').update(bytes).digest('hex'),
      };
    }),
  );
}

/**
 * A fingerprint of a start request over raw bytes (no MD5 computed yet), hashed a slice at a time with a turn of the
 * event loop between slices, so a large upload does not hold everyone else up while it is hashed.
 */
export async function fingerprintInSlices(request: unknown, files: Uint8Array[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(request));
  const SLICE = 4 * 1024 * 1024;
  for (const bytes of files) {
    hash.update(`\u0000${bytes.length}\u0000`);
    for (let offset = 0; offset < bytes.length; offset += SLICE) {
      hash.update(bytes.subarray(offset, offset + SLICE));
      if (offset + SLICE < bytes.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return hash.digest('hex');
}

/** A fingerprint of a start request: the same request with the same files gives the same one. */
export function fingerprint(request: unknown, uploads: Array<{ md5: string; filename: string }>): string {
  return createHash('sha256')
    .update(JSON.stringify({ request, files: uploads.map((u) => [u.filename, u.md5]) }))
    .digest('hex');
}

export function validateUpload(file: File | null | undefined, maxBytes: number, limitName: string, path = ['input', 'file']): FieldProblem[] {
  if (!file) return [{ path, message: 'a file is required' }];
  if (file.size === 0) return [{ path, message: `"${file.name}" is empty` }];
  if (file.size > maxBytes) return [{ path, message: `"${file.name}" is larger than ${limitName}` }];
  return [];
}

export function validateIdempotencyKey(key: string | null | undefined): FieldProblem[] {
  if (key === null || key === undefined) return [];
  return key.length < 1 || key.length > 255 ? [{ path: ['input', 'idempotencyKey'], message: 'must be 1 to 255 characters' }] : [];
}
