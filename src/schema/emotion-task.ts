/** `EmotionTask` (a speech emotion recognition task), its query, `startEmotionTask` and `emotionTaskUpdated`. */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import {
  isTerminalTaskStatus,
  type ChannelEmotions as ChannelShape,
  type EmotionTask,
  type EmotionTaskRequest as RequestShape,
  type TaskError as TaskErrorShape,
  type TaskErrorDetail,
} from '../domain/emotion-task.js';
import type { Score } from '../domain/scores.js';
import { defineLoader } from '../loaders.js';
import { PHONEXIA_MAX_UPLOAD_BYTES, phonexia } from '../providers/phonexia/index.js';
import { builder } from './builder.js';
import { uploadStartErrorTypes } from './errors.js';
import { startOnce } from './starts.js';
import { liveResolver, liveState } from './live.js';
import { EmotionScore, PredictionInterface } from './prediction.js';
import { InputValidationError, providerGraphQLError, providerNotConfigured, toUpstreamError, type FieldProblem } from './provider-errors.js';
import { pageOfOwnWork } from './own-work.js';
import { fingerprint, toMediaUploads, validateIdempotencyKey, validateUpload } from './uploads.js';

/** The work index's kind for tasks. */
export const TASK_KIND = 'emotion-task';

/** Unknown to this gateway, another tenant's, or the provider not configured: null, like an unknown job. */
export const taskLoader = defineLoader(
  'emotionTask',
  async (services, id: string, ctx): Promise<EmotionTask | null> => {
    const adapter = services.providers.get(phonexia);
    if (!adapter || !ctx.sees(await services.work.ownerOf(TASK_KIND, id))) return null;
    return adapter.refreshTask(id);
  },
  providerGraphQLError,
);

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

/** The most probable emotion; none when the channel had no speech (no scores to compare). */
function dominant(channel: ChannelShape): Score | null {
  if (!(channel.speechLength > 0)) return null;
  const best = channel.emotions.reduce<Score | null>((top, e) => (top === null || e.score > top.score ? e : top), null);
  return best && best.score > 0 ? best : null;
}

export const ChannelEmotions = builder.objectRef<ChannelShape>('ChannelEmotions').implement({
  description: 'Emotion probabilities of one audio channel (or of the mix), summing to 1.',
  interfaces: [PredictionInterface],
  fields: (t) => ({
    channel: t.exposeInt('channel', { description: '0-based input channel; 0 in MIX mode.' }),
    speechLength: t.exposeFloat('speechLength', { description: 'Seconds of speech used, after silence was removed.' }),
    dominantEmotion: t.field({
      type: EmotionScore,
      nullable: true,
      description: 'The most probable emotion; null when the channel has no speech.',
      resolve: dominant,
    }),
  }),
});

const TaskErrorDetailRef = builder.objectRef<TaskErrorDetail>('TaskErrorDetail').implement({
  fields: (t) => ({
    location: t.stringList({ description: 'Where the problem is, e.g. ["body","file"].', resolve: (d) => d.location.map(String) }),
    message: t.exposeString('message'),
    type: t.exposeString('type'),
  }),
});

const TaskError = builder.objectRef<TaskErrorShape>('TaskError').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'internal, task.validation-error, or resource.not-found when Phonexia lost the task.' }),
    message: t.exposeString('message'),
    details: t.field({ type: [TaskErrorDetailRef], resolve: (e) => e.details }),
  }),
});

const EmotionTaskRequest = builder.objectRef<RequestShape>('EmotionTaskRequest').implement({
  description: 'What the gateway sent to Phonexia (Phonexia does not return it).',
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    fileSize: t.exposeInt('fileSize', { description: 'Bytes.' }),
    contentType: t.exposeString('contentType'),
    channelMode: t.field({ type: ChannelModeEnum, resolve: (r) => r.channelMode }),
    channels: t.exposeIntList('channels', { nullable: true, description: 'Selected channels; null means all.' }),
    rangeFrom: t.exposeFloat('rangeFrom', { nullable: true }),
    rangeTo: t.exposeFloat('rangeTo', { nullable: true }),
    maxSpeechLength: t.exposeFloat('maxSpeechLength', { nullable: true }),
  }),
});

/** An emotion task is known by its id; fields read through the operation's loader (one provider call at most). */
export interface EmotionTaskParent {
  id: string;
}

export async function loadTask(ctx: GatewayContext, id: string): Promise<EmotionTask> {
  const record = await ctx.loaders.of(taskLoader).load(id);
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
        return record.status === 'done' ? record.channels : null;
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

builder.asEntity(EmotionTaskRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx) => ((await ctx.loaders.of(taskLoader).load(id)) ? { id } : null),
});

builder.queryField('emotionTask', (t) =>
  t.field({
    type: EmotionTaskRef,
    nullable: true,
    description: 'A Phonexia task started through this gateway; null when unknown.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => ((await ctx.loaders.of(taskLoader).load(String(id))) ? { id: String(id) } : null),
  }),
);

// ---- starting a task ----

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

export function channelRequest(file: { name: string; size: number; type: string }, input: ChannelOptions): RequestShape {
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
      types: uploadStartErrorTypes,
      union: { name: 'StartEmotionTaskResult' },
      result: { name: 'StartEmotionTaskSuccess' },
      dataField: { name: 'task' },
    },
    args: { input: t.arg({ type: StartEmotionTaskInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const problems = [
        ...validateUpload(input.file, PHONEXIA_MAX_UPLOAD_BYTES, '500 MB'),
        ...validateChannelOptions(input),
        ...validateIdempotencyKey(input.idempotencyKey),
      ];
      if (problems.length > 0) throw new InputValidationError(problems);
      const adapter = ctx.services.providers.get(phonexia);
      if (!adapter) throw providerNotConfigured(phonexia.identity);
      const request = channelRequest(input.file, input);
      const [upload] = toMediaUploads([input.file]);
      return startOnce(ctx, {
        kind: TASK_KIND,
        idempotencyKey: input.idempotencyKey,
        fingerprint: () => fingerprint(request, [upload!.data]),
        start: async (afterAccepted) => (await adapter.startTask(upload!, request, ctx.requestId, afterAccepted)).id,
        mapError: toUpstreamError,
      });
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
        read: () => ctx.loaders.of(taskLoader).load(taskId),
        version: (task) => `${task.status}:${task.resultExpired}`,
        isTerminal: (task) => isTerminalTaskStatus(task.status),
        unknownMessage: `emotion task ${taskId} was not started through this gateway`,
      });
    },
    resolve: liveResolver((task: EmotionTask) => ({ id: task.id })),
  }),
);

builder.queryField('emotionTasks', (t) =>
  t.connection(
    {
      type: EmotionTaskRef,
      description: "The caller's emotion tasks (started on their own or as a side of an analysis), newest first.",
      resolve: (_, args, ctx) =>
        pageOfOwnWork(ctx, TASK_KIND, args, {
          // A task Phonexia cannot be asked about right now is still listed; its fields say what went wrong.
          load: (id) => ctx.loaders.of(taskLoader).load(id).catch(() => ({ id })),
        }),
    },
    { name: 'EmotionTaskConnection' },
    { name: 'EmotionTaskEdge' },
  ),
);
