/** `EmotionTask` (a Phonexia emotion recognition task), its query and `startEmotionTask`. */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { PhonexiaChannelEmotions, PhonexiaTaskError } from '../providers/phonexia/client.js';
import { phonexiaEmotions } from '../providers/phonexia/wire.js';
import { isTerminalTask, type EmotionTaskRecord, type EmotionTaskRequestRecord } from '../tracking/emotion-tasks.js';
import { liveState } from './live.js';
import { builder } from './builder.js';
import { ErrorInterface, ProviderEnum, startErrorTypes } from './errors.js';
import { EmotionScore, PredictionInterface, type Scored } from './prediction.js';
import { InputValidationError, providerNotConfigured, toUpstreamError, type FieldProblem } from './provider-errors.js';
import { claimIdempotencyKey } from './idempotency.js';
import { fingerprint, readUploads } from './start-job.js';
import { ProviderHttpError } from '../providers/http.js';

export const PHONEXIA_MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

export const EmotionTaskStatusEnum = builder.enumType('EmotionTaskStatus', {
  values: {
    PENDING: { value: 'pending' },
    RUNNING: { value: 'running' },
    DONE: { value: 'done' },
    FAILED: { value: 'failed', description: 'Something broke while processing; the same request may succeed later.' },
    REJECTED: { value: 'rejected', description: 'The input did not meet a requirement; retry only with different input.' },
  } as const,
});

export const ChannelModeEnum = builder.enumType('ChannelMode', {
  values: {
    SPLIT: { value: 'split', description: 'Each selected channel on its own: one result per channel.' },
    MIX: { value: 'mix', description: 'The selected channels mixed down first: one result.' },
  } as const,
});

/** A channel as the schema sees it: scores in a fixed order (angry, happy, neutral, sad), looked up by name. */
interface ChannelParent extends Scored {
  channel: number;
  speechLength: number;
}

const toChannel = (channel: PhonexiaChannelEmotions): ChannelParent => ({
  channel: channel.channel,
  speechLength: channel.speechLength,
  emotions: phonexiaEmotions.map((name) => ({ name, score: channel.scores[name] ?? 0 })),
});

const ChannelEmotions = builder.objectRef<ChannelParent>('ChannelEmotions').implement({
  description: 'Emotion probabilities of one audio channel (or of the mix), summing to 1.',
  interfaces: [PredictionInterface],
  fields: (t) => ({
    channel: t.exposeInt('channel', { description: '0-based input channel; 0 in MIX mode.' }),
    speechLength: t.exposeFloat('speechLength', { description: 'Seconds of speech used, after silence was removed.' }),
    dominantEmotion: t.field({
      type: EmotionScore,
      nullable: true,
      description: 'The most probable emotion; null when the channel has no speech.',
      resolve: (c) => c.emotions.reduce<Scored['emotions'][number] | null>((best, e) => (best === null || e.score > best.score ? e : best), null),
    }),
  }),
});

const TaskErrorDetail = builder.objectRef<PhonexiaTaskError['details'][number]>('TaskErrorDetail').implement({
  fields: (t) => ({
    location: t.stringList({ description: 'Where the problem is, e.g. ["body","file"].', resolve: (d) => d.location.map(String) }),
    message: t.exposeString('message'),
    type: t.exposeString('type'),
  }),
});

const TaskError = builder.objectRef<PhonexiaTaskError>('TaskError').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'internal, task.validation-error, or resource.not-found when Phonexia lost the task.' }),
    message: t.exposeString('message'),
    details: t.field({ type: [TaskErrorDetail], resolve: (e) => e.details }),
  }),
});

const EmotionTaskRequest = builder.objectRef<EmotionTaskRequestRecord>('EmotionTaskRequest').implement({
  description: 'What the gateway sent to Phonexia (Phonexia does not return it).',
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    fileSize: t.exposeInt('fileSize', { description: 'Bytes.' }),
    contentType: t.exposeString('contentType'),
    channelMode: t.field({ type: ChannelModeEnum, resolve: (r) => r.channelMode }),
    channels: t.intList({ nullable: true, description: 'Selected channels; null means all.', resolve: (r) => r.channels }),
    rangeFrom: t.float({ nullable: true, resolve: (r) => r.rangeFrom }),
    rangeTo: t.float({ nullable: true, resolve: (r) => r.rangeTo }),
    maxSpeechLength: t.float({ nullable: true, resolve: (r) => r.maxSpeechLength }),
  }),
});

/** An emotion task is known by its id; fields read through the operation's loader (one Phonexia call at most). */
export interface EmotionTaskParent {
  id: string;
}

export async function loadTask(ctx: GatewayContext, id: string): Promise<EmotionTaskRecord> {
  const record = await ctx.loaders.emotionTask.load(id);
  if (!record) throw new GraphQLError(`emotion task ${id} is unknown`, { extensions: { code: 'NOT_FOUND' } });
  return record;
}

export const EmotionTaskRef = builder.objectRef<EmotionTaskParent>('EmotionTask');

EmotionTaskRef.implement({
  description: 'A Phonexia emotion recognition task.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "Phonexia's task_id." }),
    status: t.field({ type: EmotionTaskStatusEnum, resolve: async (task, _, ctx) => (await loadTask(ctx, task.id)).status }),
    channels: t.field({
      type: [ChannelEmotions],
      nullable: true,
      description: 'One entry per processed channel (one in MIX mode); null until DONE.',
      resolve: async (task, _, ctx) => {
        const record = await loadTask(ctx, task.id);
        return record.status === 'done' && record.channels ? record.channels.map(toChannel) : null;
      },
    }),
    error: t.field({ type: TaskError, nullable: true, resolve: async (task, _, ctx) => (await loadTask(ctx, task.id)).error }),
    request: t.field({ type: EmotionTaskRequest, resolve: async (task, _, ctx) => (await loadTask(ctx, task.id)).request }),
    createdAt: t.field({ type: 'DateTime', resolve: async (task, _, ctx) => new Date((await loadTask(ctx, task.id)).createdAt) }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the gateway last saw the status change.',
      resolve: async (task, _, ctx) => new Date((await loadTask(ctx, task.id)).updatedAt),
    }),
    resultExpired: t.boolean({
      description: 'Phonexia has expired the task; what is shown is the last result the gateway saw.',
      resolve: async (task, _, ctx) => (await loadTask(ctx, task.id)).resultExpired,
    }),
  }),
});

builder.queryField('emotionTask', (t) =>
  t.field({
    type: EmotionTaskRef,
    nullable: true,
    description: 'A Phonexia task started through this gateway; null when unknown.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => ((await ctx.loaders.emotionTask.load(String(id))) ? { id: String(id) } : null),
  }),
);

// ---- starting a task ----

/** Phonexia's 413: the upload is over the appliance's limit. */
export class UploadTooLargeError extends Error {
  constructor(
    readonly provider: 'HUME' | 'PHONEXIA',
    readonly maxBytes: number | null,
  ) {
    super(`The file is larger than ${provider === 'PHONEXIA' ? 'Phonexia' : 'Hume'} accepts${maxBytes ? ` (${maxBytes} bytes)` : ''}`);
  }
}

builder.objectType(UploadTooLargeError, {
  name: 'PayloadTooLargeError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UploadTooLargeError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    maxBytes: t.float({ nullable: true, description: 'The limit the provider reported, in bytes.', resolve: (e) => e.maxBytes }),
  }),
});

export const emotionTaskErrorTypes = [...startErrorTypes, UploadTooLargeError];

/** Maps Phonexia failures; a 413 becomes PayloadTooLargeError with the limit from its detail context. */
export function toPhonexiaError(error: unknown): unknown {
  if (error instanceof ProviderHttpError && error.status === 413) {
    const detail = (error.body as { detail?: Array<{ context?: { max_file_size?: unknown } }> } | undefined)?.detail?.[0];
    const max = detail?.context?.max_file_size;
    return new UploadTooLargeError('PHONEXIA', typeof max === 'number' ? max : null);
  }
  return toUpstreamError(error);
}

export interface ChannelOptions {
  channelMode?: 'split' | 'mix' | null;
  channels?: number[] | null;
  rangeFrom?: number | null;
  rangeTo?: number | null;
  maxSpeechLength?: number | null;
}

export function validateChannelOptions(input: ChannelOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  input.channels?.forEach((channel, i) => {
    if (!Number.isInteger(channel) || channel < 0) problems.push({ path: ['input', 'channels', String(i)], message: 'must be a non-negative integer' });
  });
  if (input.rangeFrom !== null && input.rangeFrom !== undefined && !(input.rangeFrom >= 0))
    problems.push({ path: ['input', 'rangeFrom'], message: 'must be 0 or more seconds' });
  if (input.rangeTo !== null && input.rangeTo !== undefined && !(input.rangeTo > (input.rangeFrom ?? 0)))
    problems.push({ path: ['input', 'rangeTo'], message: 'must be greater than rangeFrom (and than 0)' });
  if (input.maxSpeechLength !== null && input.maxSpeechLength !== undefined && !(input.maxSpeechLength > 0))
    problems.push({ path: ['input', 'maxSpeechLength'], message: 'must be greater than 0 seconds' });
  return problems;
}

export function validateUpload(file: File | null | undefined, maxBytes: number, limitName: string): FieldProblem[] {
  if (!file) return [{ path: ['input', 'file'], message: 'a file is required' }];
  if (file.size === 0) return [{ path: ['input', 'file'], message: `"${file.name}" is empty` }];
  if (file.size > maxBytes) return [{ path: ['input', 'file'], message: `"${file.name}" is larger than ${limitName}` }];
  return [];
}

export function channelRequest(file: { name: string; size: number; type: string }, input: ChannelOptions): EmotionTaskRequestRecord {
  return {
    fileName: file.name || 'upload',
    fileSize: file.size,
    contentType: file.type || 'application/octet-stream',
    channelMode: input.channelMode ?? 'split',
    channels: input.channels?.length ? [...new Set(input.channels)].sort((a, b) => a - b) : null,
    rangeFrom: input.rangeFrom ?? null,
    rangeTo: input.rangeTo ?? null,
    maxSpeechLength: input.maxSpeechLength ?? null,
  };
}

const StartEmotionTaskInput = builder.inputType('StartEmotionTaskInput', {
  fields: (t) => ({
    file: t.field({ type: 'File', required: true, description: 'The media file (at most 500 MB).' }),
    channelMode: t.field({ type: ChannelModeEnum, description: 'Default SPLIT.' }),
    channels: t.intList({ description: '0-based channels to process; all when omitted.' }),
    rangeFrom: t.float({ description: 'Start of processing in seconds (>= 0).' }),
    rangeTo: t.float({ description: 'End of processing in seconds (> rangeFrom).' }),
    maxSpeechLength: t.float({ description: 'At most this many seconds of speech are used (> 0).' }),
    idempotencyKey: t.string(),
  }),
});

builder.mutationField('startEmotionTask', (t) =>
  t.field({
    type: EmotionTaskRef,
    description: 'Uploads one media file to Phonexia emotion recognition and tracks the task.',
    errors: {
      types: emotionTaskErrorTypes,
      union: { name: 'StartEmotionTaskResult' },
      result: { name: 'StartEmotionTaskSuccess' },
      dataField: { name: 'task' },
    },
    args: { input: t.arg({ type: StartEmotionTaskInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const problems = [...validateUpload(input.file, PHONEXIA_MAX_UPLOAD_BYTES, '500 MB'), ...validateChannelOptions(input)];
      if (input.idempotencyKey !== null && input.idempotencyKey !== undefined && (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 255))
        problems.push({ path: ['input', 'idempotencyKey'], message: 'must be 1 to 255 characters' });
      if (problems.length > 0) throw new InputValidationError(problems);
      const tracker = ctx.services.emotionTasks;
      if (!tracker) throw providerNotConfigured('PHONEXIA');
      const request = channelRequest(input.file, input);
      const [upload] = await readUploads([input.file]);
      const claim = input.idempotencyKey
        ? await claimIdempotencyKey(ctx.services.store, 'emotion-task', input.idempotencyKey, fingerprint(request, [upload!]))
        : undefined;
      if (claim?.existingId) return { id: claim.existingId };
      try {
        const record = await tracker.start(upload!, request, ctx.requestId);
        await claim?.complete(record.id);
        return { id: record.id };
      } catch (error) {
        await claim?.release();
        throw toPhonexiaError(error);
      }
    },
  }),
);

builder.subscriptionField('emotionTaskUpdated', (t) =>
  t.field({
    type: EmotionTaskRef,
    description: 'The task now, then every change of its status; completes after DONE, FAILED or REJECTED.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, { id }, ctx) => {
      const taskId = String(id);
      return liveState(ctx, {
        events: ctx.services.events.subscribe('emotionTaskUpdated', taskId),
        read: () => ctx.loaders.emotionTask.load(taskId),
        version: (task) => `${task.status}:${task.resultExpired}`,
        isTerminal: (task) => isTerminalTask(task.status),
        unknownMessage: `emotion task ${taskId} was not started through this gateway`,
      });
    },
    resolve: (task: EmotionTaskRecord) => ({ id: task.id }),
  }),
);
