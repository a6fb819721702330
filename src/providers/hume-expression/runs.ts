/**
 * Expression runs as the gateway keeps them. Hume measures synchronously and stores no results, so the gateway
 * answers a measurement at once with a RUNNING run, converts and uploads in the background (tracked work, with a
 * lease, so a run is always somebody's), keeps the results in its records and announces the end.
 *
 * The upload bytes live only in the memory of the replica that took the request. When that replica dies, another
 * one adopts the run once the lease lapses; without the bytes it cannot measure, so it fails the run with a message
 * saying to start it again. No run stays RUNNING forever, and nothing is silently lost.
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { convertPlanned, type ConversionPlan } from '../../audio/index.js';
import { isTerminalRunStatus, type AudioRunRequest, type ExpressionRun, type ImagesRunRequest } from '../../domain/expression-run.js';
import { ProviderHeldBackError, ProviderHttpError, ProviderUnavailableError } from '../../domain/failures.js';
import type { Clock, RecordStore, WorkTracking } from '../../domain/tracking.js';
import type { HumeExpressionClient } from './client.js';
import { toAudioChannel, toImageMeasurements } from './mapping.js';

const RECORDS = 'expression-run';
/** One claim per run on its end: the first outcome recorded is the run's, on every replica. */
const ENDINGS = 'expression-run-end';
/** As long as the other providers' task records: results a caller may come back for. */
export const RUN_RECORD_TTL_MS = 30 * 24 * 3600 * 1000;
/** A provider that keeps asking to wait for longer than this fails the run instead of holding it forever. */
const MAX_WAIT_FOR_PROVIDER_MS = 10 * 60_000;
/** How long finished results wait for the store to come back before they are given up (and logged). */
const SAVE_RESULTS_FOR_MS = 3600_000;
/**
 * Finished runs kept parsed in this process: a long audio's record is megabytes of JSON (13 minutes a channel, a
 * measurement every 3 s with 48 expressions and 190 voice attributes: about 2.8 MiB a channel), and parsing it on
 * every read blocked the event loop for tens of milliseconds, however few fields the query asked for. A finished
 * run never changes, so each replica may keep its own copy. Sized by an estimate of the parsed objects' heap.
 */
const FINISHED_RUNS_CACHE_BYTES = 64 * 1024 * 1024;
const FINISHED_RUN_TTL_MS = 3600_000;

/** Heap bytes of a parsed run, roughly: its scores dominate. */
function parsedSize(run: ExpressionRun): number {
  const SCORE = 80;
  let scores = 0;
  for (const channel of run.audio ?? [])
    for (const utterance of channel.utterances) for (const m of utterance.measurements) scores += m.emotions.length + m.voiceAttributes.length + 4;
  for (const image of run.images ?? []) for (const face of image.faces) scores += face.emotions.length + (face.descriptions?.length ?? 0) + 4;
  return 4096 + scores * SCORE;
}

type Pending =
  | { kind: 'AUDIO'; bytes: Uint8Array; plan: ConversionPlan; fileName: string; measurementTimerMs: number | null }
  | { kind: 'IMAGES'; images: Array<{ fileName: string; data: Blob }>; threshold: number | null; minSize: number | null };

export interface ExpressionRunsOptions {
  clock: Clock;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Hume's key, kept out of every message a caller may read. */
  secret: string;
}

export class ExpressionRuns {
  private readonly work: WorkTracking;
  /** Work taken by this replica and not yet measured: the bytes exist only here. */
  private readonly pending = new Map<string, Pending>();
  private readonly finished = new LRUCache<string, ExpressionRun>({ maxSize: FINISHED_RUNS_CACHE_BYTES, ttl: FINISHED_RUN_TTL_MS });

  constructor(
    private readonly client: HumeExpressionClient,
    private readonly records: RecordStore,
    trackWork: (kind: string, runner: (id: string, signal: AbortSignal) => Promise<void>) => WorkTracking,
    private readonly announce: (runId: string, status: string) => Promise<void>,
    private readonly options: ExpressionRunsOptions,
  ) {
    this.work = trackWork('expression-run', (id, signal) => this.measure(id, signal));
  }

  /** Starts measuring a WAV (already checked against `plan`); the run is RUNNING when this resolves. */
  startAudio(bytes: Uint8Array, plan: ConversionPlan, request: AudioRunRequest): Promise<ExpressionRun> {
    return this.begin(request, { kind: 'AUDIO', bytes, plan, fileName: request.fileName, measurementTimerMs: request.measurementTimerMs });
  }

  /** Starts measuring JPEG images (already checked), in upload order. */
  startImages(images: Array<{ fileName: string; data: Blob }>, request: ImagesRunRequest): Promise<ExpressionRun> {
    return this.begin(request, { kind: 'IMAGES', images, threshold: request.threshold, minSize: request.minSize });
  }

  /** Callers share a finished run's object: it is never changed, only replaced (see `finish`). */
  async get(runId: string): Promise<ExpressionRun | null> {
    const kept = this.finished.get(runId);
    if (kept) return kept;
    const run = (await this.records.get<ExpressionRun>(RECORDS, runId)) ?? null;
    if (run && isTerminalRunStatus(run.status)) this.finished.set(runId, run, { size: parsedSize(run) });
    return run;
  }

  resume(): void {
    this.work.startSweeping();
  }

  get tracked(): string[] {
    return this.work.active;
  }

  close(): Promise<void> {
    return this.work.close();
  }

  /**
   * Nothing has reached Hume yet, so a store that fails here fails the request (a retry costs nothing); once the
   * record is written and the work tracked, the measurement runs in the background.
   */
  private async begin(request: AudioRunRequest | ImagesRunRequest, pending: Pending): Promise<ExpressionRun> {
    const now = this.options.clock.now();
    const run: ExpressionRun = { id: randomUUID(), kind: request.kind, status: 'RUNNING', request, createdAt: now, updatedAt: now, audio: null, images: null, error: null };
    await this.records.put(RECORDS, run.id, run, RUN_RECORD_TTL_MS);
    this.pending.set(run.id, pending);
    try {
      await this.work.track(run.id);
    } catch (error) {
      this.pending.delete(run.id);
      await this.records.delete(RECORDS, run.id).catch(() => {});
      throw error;
    }
    return run;
  }

  private async measure(runId: string, signal: AbortSignal): Promise<void> {
    const run = await this.get(runId);
    if (!run || run.status !== 'RUNNING') {
      this.pending.delete(runId);
      return;
    }
    const pending = this.pending.get(runId);
    if (!pending) {
      // Adopted from a replica that stopped: the upload's bytes went with it.
      await this.finish(run, { status: 'FAILED', error: 'The gateway instance measuring this run stopped before it finished; start the measurement again.' });
      return;
    }
    try {
      if (pending.kind === 'AUDIO') {
        const outputs = await convertPlanned(pending.bytes, pending.plan, { signal });
        // The source is not needed once converted: let it go before the (slow) uploads.
        (pending as { bytes?: Uint8Array }).bytes = undefined;
        const channels = [];
        for (const output of outputs) {
          if (signal.aborted) throw new StoppedError();
          const base = pending.fileName.replace(/\.[^.]*$/, '') || 'audio';
          const result = await this.whenAllowed(signal, () =>
            this.client.measureSpeech(output.wav, {
              // Only a timer the caller chose goes to Hume; without one the client sends no config part.
              ...(pending.measurementTimerMs !== null ? { measurementTimerMs: pending.measurementTimerMs } : {}),
              fileName: `${base}-channel-${output.channel}.wav`,
            }),
          );
          channels.push(toAudioChannel(output.channel, result));
        }
        await this.finish(run, { status: 'COMPLETED', audio: channels });
      } else {
        const result = await this.whenAllowed(signal, () =>
          this.client.measureImages(pending.images, {
            ...(pending.threshold !== null ? { threshold: pending.threshold } : {}),
            ...(pending.minSize !== null ? { minSize: pending.minSize } : {}),
          }),
        );
        await this.finish(run, { status: 'COMPLETED', images: toImageMeasurements(result) });
      }
    } catch (error) {
      this.options.log('expression run failed', { runId, error: String(error) });
      await this.finish(run, { status: 'FAILED', error: this.describe(error) });
    } finally {
      this.pending.delete(runId);
    }
  }

  /**
   * Runs an upload once Hume allows it: while Hume asks this replica to wait (nothing was sent), the run waits too,
   * up to a bound. Any other failure is final: an upload that may have reached Hume is never repeated. A stop (the
   * replica shutting down, or its lease lost) ends the wait: nothing is lost, as nothing was measured yet.
   */
  private async whenAllowed<T>(signal: AbortSignal, upload: () => Promise<T>): Promise<T> {
    const deadline = this.options.clock.now() + MAX_WAIT_FOR_PROVIDER_MS;
    for (;;) {
      try {
        return await upload();
      } catch (error) {
        const wait = error instanceof ProviderHeldBackError ? error.retryAfterMs : error instanceof ProviderHttpError ? refusalWaitMs(error) : null;
        if (wait === null || this.options.clock.now() + wait > deadline) throw error;
        await this.options.clock.sleep(wait, signal);
        if (signal.aborted) throw new StoppedError();
      }
    }
  }

  /**
   * Records the outcome. The results exist nowhere else (Hume keeps none), so a store outage is waited out rather
   * than losing a measurement that was paid for. The first outcome wins: a replica that lost its lease (stalled, cut
   * off from Redis) may still be measuring when another adopts the run and fails it; its late result must not turn a
   * FAILED that subscribers already saw as final into COMPLETED (nor leave replicas' caches disagreeing).
   */
  private async finish(run: ExpressionRun, change: Partial<Pick<ExpressionRun, 'status' | 'audio' | 'images' | 'error'>>): Promise<void> {
    const next: ExpressionRun = { ...run, ...change, updatedAt: this.options.clock.now() };
    const claim = randomUUID();
    for (let delay = 250; ; delay = Math.min(delay * 2, 30_000)) {
      try {
        // A claim written by an attempt whose answer was lost is still this call's.
        const ours = (await this.records.putIfAbsent(ENDINGS, run.id, claim, RUN_RECORD_TTL_MS)) || (await this.records.get<string>(ENDINGS, run.id)) === claim;
        if (!ours) {
          this.options.log('expression run already ended elsewhere; this outcome is dropped', { runId: run.id, status: next.status });
          return;
        }
        await this.records.put(RECORDS, run.id, next, RUN_RECORD_TTL_MS);
        break;
      } catch (error) {
        if (delay >= 30_000 && this.options.clock.now() - next.updatedAt > SAVE_RESULTS_FOR_MS) throw error;
        this.options.log('saving an expression run failed; retrying', { runId: run.id, error: String(error) });
        await this.options.clock.sleep(delay);
      }
    }
    await this.announce(run.id, next.status);
  }

  /** What a caller reads about a failure: the provider's own words only for its 4xx answers, never the key. */
  private describe(error: unknown): string {
    const redact = (text: string) => (this.options.secret ? text.split(this.options.secret).join('[redacted]') : text);
    if (error instanceof StoppedError) return 'The gateway stopped before every channel was measured; start the measurement again.';
    if (error instanceof ProviderHeldBackError || (error instanceof ProviderHttpError && error.status === 429))
      return 'Hume expression kept rate limiting the measurement; start it again later.';
    if (error instanceof ProviderHttpError) {
      if (error.status >= 500) return `Hume expression failed (HTTP ${error.status}); start the measurement again later.`;
      const code = error.code ? ` (${error.code})` : '';
      return redact(`Hume expression refused the upload with HTTP ${error.status}${code}${error.providerMessage ? `: ${error.providerMessage}` : ''}`);
    }
    if (error instanceof ProviderUnavailableError) return `Hume expression could not be reached or answered unreadably (${error.reason}); start the measurement again later.`;
    return 'The measurement failed inside the gateway; start it again.';
  }
}

class StoppedError extends Error {}

/**
 * How long Hume asked to wait before this upload may go again, when its answer was a refusal that measured nothing:
 * a 429, or a 503 with Retry-After (as the rate gate reads them). Null for any other failure.
 */
function refusalWaitMs(error: ProviderHttpError): number | null {
  if (error.status === 429) return error.retryAfterMs ?? 1000;
  if (error.status === 503 && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return null;
}
