/**
 * Uploads as start mutations take them: checked, handed on as they are (the multipart parser keeps them on disk;
 * nothing here copies their bytes), and fingerprinted for idempotency by streaming them through a hash.
 */
import { createHash, type Hash } from 'node:crypto';
import type { MediaUpload } from '../domain/media.js';
import type { FieldProblem } from './provider-errors.js';

export function toMediaUploads(files: File[]): MediaUpload[] {
  return files.map((file) => ({ filename: file.name || 'upload', contentType: file.type || 'application/octet-stream', data: file }));
}

const SLICE = 4 * 1024 * 1024;

/** Feeds bytes to a hash a slice at a time, with a turn of the event loop between slices. */
async function hashBytes(hash: Hash, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += SLICE) {
    hash.update(bytes.subarray(offset, offset + SLICE));
    if (offset + SLICE < bytes.length) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A fingerprint of a start request and its files: the same request with the same bytes gives the same one. Files
 * are streamed (a disk-backed upload is read, not loaded), so fingerprinting a 500 MB upload holds no 500 MB.
 */
export async function fingerprint(request: unknown, files: Array<Blob | Uint8Array>, names: string[] = []): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ request, names }));
  for (const file of files) {
    hash.update(`\u0000${file instanceof Uint8Array ? file.length : file.size}\u0000`);
    if (file instanceof Uint8Array) await hashBytes(hash, file);
    else for await (const chunk of file.stream() as unknown as AsyncIterable<Uint8Array>) await hashBytes(hash, chunk);
  }
  return hash.digest('hex');
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
