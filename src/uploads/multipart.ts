/**
 * GraphQL multipart requests (the spec's `operations`, then `map`, then the files), parsed with busboy as they
 * stream in. Hand-written around busboy rather than left to yoga's parser because of two rules the defaults cannot
 * give:
 * - `map` is checked before any file byte is kept: each path must name a variable the operation declares, lead
 *   through its input type to a `File`, and use list indices below the number of files sent (a 300-byte request
 *   naming `variables.input.files.1000000000` is refused at once, not allocated);
 * - files go to temporary files and reach resolvers as disk-backed Blobs: an upload is held in memory not at all,
 *   the bytes of uploads in flight are capped, and the files are removed when the response ends.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

export interface MultipartLimits {
  /** Largest file. */
  maxFileBytes: number;
  maxFiles: number;
  /** Largest `operations` / `map` field. */
  maxFieldBytes: number;
}

/** Bytes of uploads being received or held now, across requests: past the cap a start is refused, not run. */
export class UploadBudget {
  private used = 0;

  constructor(readonly capBytes: number) {}

  get inFlight(): number {
    return this.used;
  }

  /** Takes `bytes`, or returns false when that would pass the cap. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.capBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export interface ParsedMultipart {
  params: { query?: string; operationName?: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> };
  /** Removes the temporary files and returns their bytes to the budget; call once the response has ended. */
  cleanup(): Promise<void>;
}

const refuse = (message: string, status = 400, code = 'BAD_REQUEST') => new GraphQLError(message, { extensions: { code, http: { status } } });

/** Where this process's uploads go while their request runs. */
const uploadDirectory = path.join(os.tmpdir(), `emotion-gateway-uploads-${process.pid}`);

/**
 * Checks a map path (`variables.input.files.3`) against the operation's variable types: it must end at a File,
 * with every list index below `fileCount`. Returns the problem, or null.
 */
export function mapPathProblem(pathText: string, variableTypes: Map<string, GraphQLInputType>, fileCount: number): string | null {
  const segments = pathText.split('.');
  if (segments.length < 2 || segments.length > 16 || segments[0] !== 'variables') return `map path "${pathText.slice(0, 100)}" does not start with variables.<name>`;
  let type: GraphQLInputType | undefined = variableTypes.get(segments[1]!);
  if (!type) return `map path "${pathText.slice(0, 100)}" names a variable the operation does not declare`;
  for (const segment of segments.slice(2)) {
    if (isNonNullType(type)) type = type.ofType;
    if (isListType(type)) {
      if (!/^\d{1,6}$/.test(segment) || Number(segment) >= fileCount) return `map path "${pathText.slice(0, 100)}" uses list index ${segment.slice(0, 12)}, beyond the ${fileCount} file(s) sent`;
      type = type.ofType as GraphQLInputType;
    } else if (isInputObjectType(type)) {
      const field: { type: GraphQLInputType } | undefined = type.getFields()[segment];
      if (!field) return `map path "${pathText.slice(0, 100)}" names no field "${segment.slice(0, 50)}"`;
      type = field.type;
    } else return `map path "${pathText.slice(0, 100)}" goes past a ${String(type)} value`;
  }
  const end = getNamedType(type);
  if (!(end instanceof GraphQLScalarType) || end.name !== 'File') return `map path "${pathText.slice(0, 100)}" does not lead to a File`;
  return null;
}

function variableTypesOf(schema: GraphQLSchema, query: string, operationName: string | undefined): Map<string, GraphQLInputType> {
  let document;
  try {
    document = parse(query, { maxTokens: 10_000 });
  } catch {
    throw refuse('operations.query is not a GraphQL document');
  }
  const types = new Map<string, GraphQLInputType>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName !== undefined && definition.name?.value !== operationName) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type as never) as GraphQLInputType | undefined;
      if (type) types.set(variable.variable.name.value, type);
    }
  }
  return types;
}

/** Sets `value` at a checked path; refuses to create anything, only to fill what `operations` sent as null. */
function place(target: Record<string, unknown>, segments: string[], value: unknown): boolean {
  let node: unknown = target;
  for (const segment of segments.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[segment];
  }
  const last = segments.at(-1)!;
  if (Array.isArray(node)) {
    const index = Number(last);
    if (!(index < node.length)) return false;
    node[index] = value;
    return true;
  }
  if (node === null || typeof node !== 'object' || !Object.hasOwn(node, last)) return false;
  (node as Record<string, unknown>)[last] = value;
  return true;
}

/**
 * `body` is the node request itself when yoga runs on node (no stream adapter in between), else the fetch body.
 */
export async function parseMultipart(
  request: Request,
  body: Readable | null,
  schema: GraphQLSchema,
  limits: MultipartLimits,
  budget: UploadBudget,
): Promise<ParsedMultipart> {
  // A declared length that cannot fit is refused before a byte is read; the rest is counted as it arrives.
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > budget.capBytes - budget.inFlight) throw refuse('too many uploads are being received right now; retry shortly', 503, 'UPLOAD_CAPACITY');
  const held: string[] = [];
  let heldBytes = 0;
  const cleanup = async () => {
    budget.give(heldBytes);
    heldBytes = 0;
    await Promise.all(held.splice(0).map((file) => rm(file, { force: true })));
  };
  const source = body ?? (request.body ? Readable.from(request.body as unknown as AsyncIterable<Uint8Array>) : null);
  if (!source) throw refuse('the multipart request has no body');

  let operations: ParsedMultipart['params'] | undefined;
  let map: Map<string, string[]> | undefined;
  let variableTypes: Map<string, GraphQLInputType> | undefined;
  const files = new Map<string, Blob>();

  const parser = busboy({
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
    limits: { fileSize: limits.maxFileBytes + 1, files: limits.maxFiles, fields: 2, fieldSize: limits.maxFieldBytes, parts: limits.maxFiles + 3 },
  });
  const fileWrites: Array<Promise<void>> = [];
  let failure: GraphQLError | undefined;
  /** Raw bytes received of the multipart field being read (see `meter` below). */
  let fieldBytes = 0;
  const fail = (error: GraphQLError) => {
    failure ??= error;
    parser.destroy();
  };

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) return fail(refuse(`the multipart field "${name.slice(0, 50)}" is larger than ${limits.maxFieldBytes} bytes`, 413, 'PAYLOAD_TOO_LARGE'));
    if (name === 'operations') {
      // `map` is counted on its own from here (give or take the chunk that held the end of `operations`).
      fieldBytes = 0;
      try {
        const parsed = JSON.parse(value) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
        operations = parsed as ParsedMultipart['params'];
      } catch {
        return fail(refuse('the multipart field "operations" is not a JSON object (batched operations are not supported)'));
      }
      if (typeof operations.query !== 'string') return fail(refuse('operations.query must be a string'));
      try {
        variableTypes = variableTypesOf(schema, operations.query, operations.operationName ?? undefined);
      } catch (error) {
        return fail(error as GraphQLError);
      }
    } else if (name === 'map') {
      if (!operations) return fail(refuse('the multipart field "map" must come after "operations"'));
      let raw: unknown;
      try {
        raw = JSON.parse(value);
      } catch {
        return fail(refuse('the multipart field "map" is not JSON'));
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(refuse('the multipart field "map" must be an object of file keys to path lists'));
      const entries = Object.entries(raw);
      if (entries.length > limits.maxFiles) return fail(refuse(`at most ${limits.maxFiles} files per request`, 413, 'PAYLOAD_TOO_LARGE'));
      map = new Map();
      for (const [key, paths] of entries) {
        if (!Array.isArray(paths) || paths.length === 0 || paths.length > 16 || !paths.every((p) => typeof p === 'string'))
          return fail(refuse(`map["${key.slice(0, 50)}"] must be a non-empty list of paths`));
        for (const p of paths as string[]) {
          const problem = mapPathProblem(p, variableTypes!, entries.length);
          if (problem) return fail(refuse(problem));
        }
        map.set(key, paths as string[]);
      }
    } else fail(refuse(`unexpected multipart field "${name.slice(0, 50)}" (expected operations, map, then files)`));
  });

  parser.on('file', (name, stream, info) => {
    if (!map) {
      stream.resume();
      return fail(refuse('files must come after the multipart fields "operations" and "map"'));
    }
    if (!map.has(name)) {
      stream.resume();
      return fail(refuse(`the file "${name.slice(0, 50)}" is not in map`));
    }
    const target = path.join(uploadDirectory, randomUUID());
    held.push(target);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (!budget.take(chunk.length)) return done(refuse('too many uploads are being received right now; retry shortly', 503, 'UPLOAD_CAPACITY'));
        heldBytes += chunk.length;
        done(null, chunk);
      },
    });
    fileWrites.push(
      (async () => {
        await mkdir(uploadDirectory, { recursive: true });
        try {
          await pipeline(stream, counter, createWriteStream(target));
        } catch (error) {
          return fail(error instanceof GraphQLError ? error : refuse('the upload was cut off'));
        }
        if ((stream as unknown as { truncated?: boolean }).truncated || size > limits.maxFileBytes)
          return fail(refuse(`the file "${(info.filename || name).slice(0, 100)}" is larger than ${limits.maxFileBytes} bytes`, 413, 'PAYLOAD_TOO_LARGE'));
        const blob = await openAsBlob(target, { type: info.mimeType || 'application/octet-stream' });
        files.set(name, new File([blob], info.filename || 'upload', { type: info.mimeType || 'application/octet-stream' }));
      })(),
    );
  });
  parser.on('filesLimit', () => fail(refuse(`at most ${limits.maxFiles} files per request`, 413, 'PAYLOAD_TOO_LARGE')));
  parser.on('partsLimit', () => fail(refuse('too many parts in the multipart request', 413, 'PAYLOAD_TOO_LARGE')));
  parser.on('fieldsLimit', () => fail(refuse('unexpected extra multipart fields')));

  // busboy reports a field too large only when its part ends, and would read an oversized `operations` to its end
  // first: the raw bytes of `operations`, then of `map` (each with its part header and the read chunk it straddles),
  // are counted as they come.
  const fieldsLimit = limits.maxFieldBytes + 128 * 1024;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!map && !failure && (fieldBytes += chunk.length) > fieldsLimit) {
        fail(refuse(`the multipart field "${operations ? 'map' : 'operations'}" is larger than ${limits.maxFieldBytes} bytes`, 413, 'PAYLOAD_TOO_LARGE'));
        return done();
      }
      done(null, chunk);
    },
  });

  try {
    // Piped by hand rather than with stream.pipeline: on a refusal the request must stay open for the answer (its
    // socket closes after it, src/http-security.ts), while pipeline would destroy the request and with it the socket.
    await new Promise<void>((resolve) => {
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        source.unpipe(meter);
        // A stream made here from the fetch body is ours to end; the node request is left to src/http-security.ts.
        if (failure && !body) source.destroy();
        resolve();
      };
      const broken = (error: unknown) => {
        if (!failure) fail(refuse(`the multipart body could not be read${error instanceof Error && error.message ? ` (${error.message.slice(0, 100)})` : ''}`));
        settle();
      };
      source.once('error', broken);
      source.once('aborted', () => broken(new Error('the request was aborted')));
      meter.once('error', broken);
      parser.once('error', broken);
      parser.once('close', settle);
      source.pipe(meter).pipe(parser);
    });
    await Promise.all(fileWrites);
    if (failure) throw failure;
    if (!operations || !map) throw refuse('a multipart request needs the fields "operations" and "map"');
    for (const [key, paths] of map) {
      const file = files.get(key);
      if (!file) throw refuse(`the file "${key.slice(0, 50)}" named in map was not sent`);
      for (const p of paths) if (!place(operations as Record<string, unknown>, p.split('.'), file)) throw refuse(`map path "${p.slice(0, 100)}" does not match a null in operations`);
    }
    return { params: operations, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
