/**
 * Federation entities: `Job`, `EmotionTask` and `MediaAnalysis`, keyed by `id`. Representations resolve through
 * the same per-operation loaders as queries, so one `_entities` call with many representations costs one upstream
 * call per distinct id.
 */
import { builder } from './builder.js';
import { EmotionTaskRef } from './emotion-task.js';
import { JobRef } from './job.js';
import { MediaAnalysisRef } from './media-analysis.js';

builder.asEntity(JobRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx) => ((await ctx.loaders.humeJob.load(id)) ? { id } : null),
});

builder.asEntity(EmotionTaskRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx) => ((await ctx.loaders.emotionTask.load(id)) ? { id } : null),
});

builder.asEntity(MediaAnalysisRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.loaders.mediaAnalysis.load(id),
});
