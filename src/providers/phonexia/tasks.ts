/**
 * Phonexia emotion tasks as the gateway knows them. Phonexia returns only a task's state and result, so the gateway
 * keeps the rest (what was sent, when, where to poll) in its records, follows each task to a terminal state by
 * polling its `Location`, and announces every status change once. A result Phonexia later expires stays readable.
 */
import { randomUUID } from 'node:crypto';
import { isTerminalTaskStatus, type ChannelEmotions, type EmotionTask, type EmotionTaskRequest, type EmotionTaskStatus, type TaskError } from '../../domain/emotion-task.js';
import { ProviderHeldBackError, ProviderHttpError } from '../../domain/failures.js';
import type { MediaUpload } from '../../domain/media.js';
import type { Clock, RecordStore, WorkTracking } from '../../domain/tracking.js';
import { bookkeepAfterAcceptance } from '../../tracking/after-acceptance.js';
import { nextPollDelay, retryDelay } from '../../tracking/poll-schedule.js';
import type { PhonexiaChannelEmotions, PhonexiaClient, PhonexiaTask } from './client.js';
import { phonexiaEmotions, type PhonexiaStartParams } from './wire.js';

const RECORDS = 'phonexia-task';
const STATUS_CLAIMS = 'phonexia-task-status';
/** Kept well beyond Phonexia's own retention, so a finished result outlives it. */
export const TASK_RECORD_TTL_MS = 30 * 24 * 3600 * 1000;
/** A task nobody could reach for this long is given up on (reported, not silently dropped). */
const GIVE_UP_AFTER_MS = 24 * 3600 * 1000;

/** The record the gateway keeps: the domain task, plus where to poll it and the id its logs go by. */
export interface EmotionTaskRecord extends EmotionTask {
  location: string;
  /** Sent as x-correlation-id on every call about this task. */
  correlationId: string;
}

const toChannel = (channel: PhonexiaChannelEmotions): ChannelEmotions => ({
  channel: channel.channel,
  speechLength: channel.speechLength,
  emotions: phonexiaEmotions.map((name) => ({ name, score: channel.scores[name] ?? 0 })),
});

export interface EmotionTaskTrackerOptions {
  clock: Clock;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class EmotionTaskTracker {
  private readonly work: WorkTracking;

  constructor(
    private readonly client: PhonexiaClient,
    private readonly records: RecordStore,
    trackWork: (kind: string, runner: (id: string, signal: AbortSignal) => Promise<void>) => WorkTracking,
    /** Called once per status a task reaches (across replicas). */
    private readonly onStatus: (taskId: string, status: EmotionTaskStatus) => Promise<void> | void,
    private readonly options: EmotionTaskTrackerOptions,
  ) {
    this.work = trackWork('phonexia-task', (id, signal) => this.pollUntilTerminal(id, signal));
  }

  /** Resumes tasks left by a previous process or a dead replica, and keeps adopting them. */
  resume(): void {
    this.work.startSweeping();
  }

  /**
   * Starts a task at Phonexia, records it and begins tracking it. Throws the client's errors when Phonexia did not
   * take the upload; once it has, a failing store never fails the start (a retry would upload it twice): the record
   * and the tracking are written in the background as soon as the store is back.
   */
  async start(
    upload: MediaUpload,
    request: EmotionTaskRequest,
    correlationId: string = randomUUID(),
    afterAccepted: Array<(taskId: string) => Promise<unknown>> = [],
  ): Promise<EmotionTaskRecord> {
    const params: PhonexiaStartParams = { channel_mode: request.channelMode };
    if (request.channels?.length) params.channels = request.channels;
    if (request.rangeFrom !== null) params.range_from = request.rangeFrom;
    if (request.rangeTo !== null) params.range_to = request.rangeTo;
    if (request.maxSpeechLength !== null) params.max_speech_length = request.maxSpeechLength;
    const started = await this.client.startTask(upload, params, { correlationId });
    const now = this.options.clock.now();
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
    await bookkeepAfterAcceptance(
      { provider: 'phonexia', taskId: record.id },
      [() => this.save(record), ...afterAccepted.map((step) => () => step(record.id)), () => this.work.track(record.id)],
      this.options.log,
      this.options.clock,
    );
    return record;
  }

  /** The task as last seen; null when this gateway never started it. */
  get(taskId: string): Promise<EmotionTaskRecord | null> {
    return this.records.get<EmotionTaskRecord>(RECORDS, taskId).then((record) => record ?? null);
  }

  /**
   * A fresh look: a task still running is read from Phonexia now (and the change announced), so a query never
   * shows a state older than the provider's. While Phonexia asks this replica to wait, the stored record answers.
   */
  async refresh(taskId: string): Promise<EmotionTaskRecord | null> {
    const record = await this.get(taskId);
    if (!record || isTerminalTaskStatus(record.status)) return record;
    let task: PhonexiaTask | null;
    try {
      task = await this.client.getTask(record.location, { correlationId: record.correlationId });
    } catch (error) {
      if (error instanceof ProviderHeldBackError) return record;
      throw error;
    }
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
    const { clock } = this.options;
    let failures = 0;
    let retryAfter: number | undefined;
    let lastSuccess = clock.now();
    let heldBackMs = 0;
    for (;;) {
      let record = await this.get(taskId);
      if (!record || isTerminalTaskStatus(record.status)) return;
      const age = clock.now() - record.createdAt;
      const delay = heldBackMs > 0 ? heldBackMs : failures === 0 ? nextPollDelay(age) : retryDelay(age, failures, retryAfter);
      heldBackMs = 0;
      await clock.sleep(delay, signal);
      if (signal.aborted) return;
      record = await this.get(taskId);
      if (!record || isTerminalTaskStatus(record.status)) return;
      try {
        const task = await this.client.getTask(record.location, { correlationId: record.correlationId });
        failures = 0;
        retryAfter = undefined;
        lastSuccess = clock.now();
        record = await this.apply(record, task);
        if (isTerminalTaskStatus(record.status)) return;
      } catch (error) {
        if (error instanceof ProviderHeldBackError) {
          // Phonexia asked this replica to wait: nothing was sent; poll again once the time has passed.
          heldBackMs = error.retryAfterMs;
          continue;
        }
        failures += 1;
        retryAfter = error instanceof ProviderHttpError ? error.retryAfterMs : undefined;
        this.options.log('emotion task poll failed', { taskId, failures, error: String(error) });
        if (clock.now() - lastSuccess > GIVE_UP_AFTER_MS) {
          await this.apply(record, null, { type: 'gateway.tracking-lost', message: 'Phonexia could not be reached for a day; tracking stopped.', details: [] });
          return;
        }
      }
    }
  }

  /** Folds a poll answer into the record; announces when the status changed. `task` null means Phonexia said 404. */
  private async apply(record: EmotionTaskRecord, task: PhonexiaTask | null, lostError?: TaskError): Promise<EmotionTaskRecord> {
    let next: EmotionTaskRecord;
    if (lostError) next = { ...record, status: 'failed', error: lostError };
    else if (task === null) {
      // A 404 for a task we never saw finish: it vanished. After `done` it only means the result expired there.
      next = isTerminalTaskStatus(record.status)
        ? { ...record, resultExpired: true }
        : { ...record, status: 'failed', error: { type: 'resource.not-found', message: 'Phonexia no longer knows this task (expired or lost).', details: [] } };
    } else {
      next = {
        ...record,
        status: task.state,
        channels: task.state === 'done' && task.channels ? task.channels.map(toChannel) : record.channels,
        error: task.state === 'failed' || task.state === 'rejected' ? task.error : null,
      };
    }
    const changed = next.status !== record.status || next.resultExpired !== record.resultExpired;
    if (!changed) return record;
    next.updatedAt = this.options.clock.now();
    await this.save(next);
    // Several replicas may see the same change (a poll here, a query there): only the first one announces it.
    if (next.status !== record.status && (await this.records.putIfAbsent(STATUS_CLAIMS, `${next.id}:${next.status}`, true, TASK_RECORD_TTL_MS)))
      await this.onStatus(next.id, next.status);
    return next;
  }

  private save(record: EmotionTaskRecord): Promise<void> {
    return this.records.put(RECORDS, record.id, record, TASK_RECORD_TTL_MS);
  }
}
