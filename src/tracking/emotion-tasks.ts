/**
 * Phonexia emotion tasks as the gateway knows them. Phonexia returns only a task's state and result, so the gateway
 * keeps the rest (what was sent, when, where to poll) in its store, follows each task to a terminal state by polling
 * its `Location`, and publishes every status change. A result Phonexia later expires stays readable here.
 */
import { randomUUID } from 'node:crypto';
import { ProviderHttpError } from '../providers/http.js';
import type {
  PhonexiaChannelEmotions,
  PhonexiaClient,
  PhonexiaTask,
  PhonexiaTaskError,
  PhonexiaUpload,
} from '../providers/phonexia/client.js';
import type { PhonexiaStartParams, TaskState } from '../providers/phonexia/wire.js';
import type { GatewayStore } from '../store/store.js';
import { nextPollDelay, retryDelay, systemClock, type Clock } from './poll-schedule.js';
import { TrackedWork, type TrackedWorkOptions } from './tracked-work.js';

const RECORDS = 'phonexia-task';
const STATUS_CLAIMS = 'phonexia-task-status';
/** Kept well beyond Phonexia's own retention, so a finished result outlives it. */
const RECORD_TTL_MS = 30 * 24 * 3600 * 1000;
/** A task nobody could reach for this long is given up on (reported, not silently dropped). */
const GIVE_UP_AFTER_MS = 24 * 3600 * 1000;

export const terminalTaskStates: readonly TaskState[] = ['done', 'failed', 'rejected'];
export const isTerminalTask = (state: TaskState) => terminalTaskStates.includes(state);

export interface EmotionTaskRequestRecord {
  fileName: string;
  fileSize: number;
  contentType: string;
  channelMode: 'split' | 'mix';
  channels: number[] | null;
  rangeFrom: number | null;
  rangeTo: number | null;
  maxSpeechLength: number | null;
}

export interface EmotionTaskRecord {
  id: string;
  location: string;
  status: TaskState;
  channels: PhonexiaChannelEmotions[] | null;
  error: PhonexiaTaskError | null;
  request: EmotionTaskRequestRecord;
  createdAt: number;
  updatedAt: number;
  /** Phonexia no longer has the task (404 after it finished); the result here is the last one seen. */
  resultExpired: boolean;
  /** Sent as x-correlation-id on every call about this task. */
  correlationId: string;
}

export interface EmotionTaskTrackerOptions extends TrackedWorkOptions {
  clock?: Clock;
}

export class EmotionTaskTracker {
  private readonly clock: Clock;
  private readonly work: TrackedWork;
  private readonly log: (message: string, fields?: Record<string, unknown>) => void;

  constructor(
    private readonly client: PhonexiaClient,
    private readonly store: GatewayStore,
    /** Called once per status a task reaches (across replicas). */
    private readonly onStatus: (taskId: string, status: TaskState) => Promise<void> | void,
    options: EmotionTaskTrackerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => {});
    this.work = new TrackedWork(store, 'phonexia-task', (id, signal) => this.pollUntilTerminal(id, signal), options);
  }

  /** Resumes tasks left by a previous process or a dead replica, and keeps adopting them. */
  resume(): void {
    this.work.startSweeping();
  }

  /** Starts a task at Phonexia, records it and begins tracking it. Throws the client's errors unchanged. */
  async start(upload: PhonexiaUpload, request: EmotionTaskRequestRecord, correlationId: string = randomUUID()): Promise<EmotionTaskRecord> {
    const params: PhonexiaStartParams = { channel_mode: request.channelMode };
    if (request.channels?.length) params.channels = request.channels;
    if (request.rangeFrom !== null) params.range_from = request.rangeFrom;
    if (request.rangeTo !== null) params.range_to = request.rangeTo;
    if (request.maxSpeechLength !== null) params.max_speech_length = request.maxSpeechLength;
    const started = await this.client.startTask(upload, params, { correlationId });
    const now = this.clock.now();
    const record: EmotionTaskRecord = {
      id: started.taskId,
      location: started.location,
      status: started.state,
      channels: null,
      error: null,
      request,
      createdAt: now,
      updatedAt: now,
      resultExpired: false,
      correlationId,
    };
    // Phonexia has the task now: a store failure must not fail the start (a retry would upload it twice).
    try {
      await this.save(record);
      await this.work.track(record.id);
    } catch (error) {
      this.log('recording a started emotion task failed', { taskId: record.id, error: String(error) });
    }
    return record;
  }

  /** The task as last seen; null when this gateway never started it. */
  get(taskId: string): Promise<EmotionTaskRecord | null> {
    return this.store.get<EmotionTaskRecord>(RECORDS, taskId).then((record) => record ?? null);
  }

  /**
   * A fresh look: a task still running is read from Phonexia now (and the change published), so a query never
   * shows a state older than the provider's.
   */
  async refresh(taskId: string): Promise<EmotionTaskRecord | null> {
    const record = await this.get(taskId);
    if (!record || isTerminalTask(record.status)) return record;
    const task = await this.client.getTask(record.location, { correlationId: record.correlationId });
    return this.apply(record, task);
  }

  /** Ids of the tasks this process is polling now. */
  get tracked(): string[] {
    return this.work.active;
  }

  /** Stops polling here and hands the leases over. */
  close(): Promise<void> {
    return this.work.close();
  }

  private async pollUntilTerminal(taskId: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let retryAfter: number | undefined;
    let lastSuccess = this.clock.now();
    for (;;) {
      let record = await this.get(taskId);
      if (!record || isTerminalTask(record.status)) return;
      const age = this.clock.now() - record.createdAt;
      await this.clock.sleep(failures === 0 ? nextPollDelay(age) : retryDelay(age, failures, retryAfter), signal);
      if (signal.aborted) return;
      record = await this.get(taskId);
      if (!record || isTerminalTask(record.status)) return;
      try {
        const task = await this.client.getTask(record.location, { correlationId: record.correlationId });
        failures = 0;
        retryAfter = undefined;
        lastSuccess = this.clock.now();
        record = await this.apply(record, task);
        if (isTerminalTask(record.status)) return;
      } catch (error) {
        failures += 1;
        retryAfter = error instanceof ProviderHttpError ? error.retryAfterMs : undefined;
        this.log('emotion task poll failed', { taskId, failures, error: String(error) });
        if (this.clock.now() - lastSuccess > GIVE_UP_AFTER_MS) {
          await this.apply(record, null, { type: 'gateway.tracking-lost', message: 'Phonexia could not be reached for a day; tracking stopped.', details: [] });
          return;
        }
      }
    }
  }

  /** Folds a poll answer into the record; publishes when the status changed. `task` null means Phonexia said 404. */
  private async apply(record: EmotionTaskRecord, task: PhonexiaTask | null, lostError?: PhonexiaTaskError): Promise<EmotionTaskRecord> {
    let next: EmotionTaskRecord;
    if (lostError) next = { ...record, status: 'failed', error: lostError };
    else if (task === null) {
      // A 404 for a task we never saw finish: it vanished. After `done` it only means the result expired there.
      next = isTerminalTask(record.status)
        ? { ...record, resultExpired: true }
        : { ...record, status: 'failed', error: { type: 'resource.not-found', message: 'Phonexia no longer knows this task (expired or lost).', details: [] } };
    } else {
      next = {
        ...record,
        status: task.state,
        channels: task.state === 'done' ? task.channels : record.channels,
        error: task.state === 'failed' || task.state === 'rejected' ? task.error : null,
      };
    }
    const changed = next.status !== record.status || next.resultExpired !== record.resultExpired;
    if (!changed) return record;
    next.updatedAt = this.clock.now();
    await this.save(next);
    // Several replicas may see the same change (a poll here, a query there): only the first one announces it.
    if (next.status !== record.status && (await this.store.putIfAbsent(STATUS_CLAIMS, `${next.id}:${next.status}`, true, RECORD_TTL_MS)))
      await this.onStatus(next.id, next.status);
    return next;
  }

  private save(record: EmotionTaskRecord): Promise<void> {
    return this.store.put(RECORDS, record.id, record, RECORD_TTL_MS);
  }
}
