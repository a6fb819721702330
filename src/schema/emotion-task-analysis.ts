/** The emotion-task side of a media analysis: the upload as one task, its channels as the analysis's channels. */
import { isTerminalTaskStatus } from '../domain/emotion-task.js';
import { PHONEXIA_MAX_UPLOAD_BYTES, phonexia } from '../providers/phonexia/index.js';
import { registerAnalysisSide, sideWork } from './analysis-sides.js';
import { ChannelEmotions, ChannelModeEnum, EmotionTaskRef, TASK_KIND, channelRequest, taskLoader, validateChannelOptions, type ChannelOptions } from './emotion-task.js';
import { validateUpload } from './uploads.js';

registerAnalysisSide({
  name: 'PHONEXIA',
  description: 'Phonexia emotion recognition: angry, happy, neutral and sad per channel.',
  workKind: TASK_KIND,
  module: phonexia,
  inputFields: (t) => ({
    channelMode: t.field({ type: ChannelModeEnum, description: 'Phonexia: each channel on its own (SPLIT, default) or mixed down (MIX).' }),
    rangeFrom: t.float({ description: 'Phonexia: start of processing in seconds (>= 0).' }),
    rangeTo: t.float({ description: 'Phonexia: end of processing in seconds (> rangeFrom).' }),
    maxSpeechLength: t.float({ description: 'Phonexia: at most this many seconds of speech are used (> 0).' }),
  }),
  analysisFields: (t) => ({
    emotionTask: t.field({
      type: EmotionTaskRef,
      nullable: true,
      description: 'The Phonexia task; null when it was not used or did not take the upload.',
      resolve: (a) => {
        const id = sideWork(a, phonexia);
        return id ? { id } : null;
      },
    }),
  }),
  channelFields: (t) => ({
    emotions: t.field({
      type: ChannelEmotions,
      nullable: true,
      description: "Phonexia's emotions for this channel; null until its task is done (or when it did not cover the channel).",
      resolve: async ({ analysis, channel }, _, ctx) => {
        const id = sideWork(analysis, phonexia);
        const task = id ? await ctx.loaders.of(taskLoader).load(id) : null;
        return task?.status === 'done' ? (task.channels?.find((c) => c.channel === channel) ?? null) : null;
      },
    }),
  }),
  validate: (input) => [...validateUpload(input.file, PHONEXIA_MAX_UPLOAD_BYTES, '500 MB (the Phonexia limit)'), ...validateChannelOptions(input as ChannelOptions)],
  fingerprint: (input) => channelRequest(input.file, input as ChannelOptions),
  start: async (ctx, upload, input, afterAccepted) => {
    const record = await ctx.services.providers.require(phonexia).startTask(upload, channelRequest(input.file, input as ChannelOptions), ctx.requestId, afterAccepted);
    return record.id;
  },
  read: async (ctx, taskId) => {
    const task = await ctx.loaders.of(taskLoader).load(taskId);
    if (!task) return null;
    const failed = task.status === 'failed' || task.status === 'rejected';
    return {
      progress: task.status === 'done' ? 'COMPLETED' : failed ? 'FAILED' : 'RUNNING',
      settled: isTerminalTaskStatus(task.status),
      failure: failed ? { message: task.error?.message || `task ${task.status}`, code: task.error?.type ?? task.status } : null,
      version: task.status,
    };
  },
  channels: async (ctx, taskId) => {
    const task = await ctx.loaders.of(taskLoader).load(taskId);
    return task?.status === 'done' ? (task.channels ?? []).map((c) => c.channel) : [];
  },
});
