/**
 * analyzeMedia: one upload, read once, sent to both simulators; both sides checked on the simulators (same bytes,
 * right parameters), one-side failures reported without losing the other side.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { eventually, startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const AnalyzeMedia = graphql(`
  mutation AnalyzeMedia($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id status job { id } emotionTask { id } failures { provider stage status code message } } }
      ... on ValidationError { fields { field message } }
    }
  }
`);

const MediaAnalysisQuery = graphql(`
  query MediaAnalysis($id: ID!) {
    mediaAnalysis(id: $id) {
      id
      status
      failures { provider stage status code message }
      job { id status request { models { prosody { granularity } burst face { fpsPred } } files { md5sum filename } } }
      emotionTask { id status request { channelMode } channels { channel emotions { name score } } }
    }
  }
`);

const audio = { name: 'interview.wav', type: 'audio/wav', data: pcmWav({ channels: 2, seconds: 8 }) };
const md5 = createHash('md5').update(audio.data).digest('hex');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ publicUrl: true });
});
afterAll(async () => {
  await stack.close();
});
afterEach(() => {
  stack.hume.faults.clear();
  stack.phonexia.faults.clear();
});

async function analyze(input: Record<string, unknown>, file = audio) {
  const result = await stack.upload(AnalyzeMedia, { input: { ...input, file: null } as never }, { 'variables.input.file': file });
  expect(result.errors).toBeUndefined();
  return result.data!.analyzeMedia;
}

/** Every default side included (Hume expression converts and uploads each channel): 5 s is too tight under load. */
async function settled(id: string) {
  return eventually(async () => {
    const analysis = (await stack.execute(MediaAnalysisQuery, { id })).data?.mediaAnalysis;
    return analysis && analysis.status !== 'RUNNING' ? analysis : undefined;
  }, 15_000);
}

describe('analyzeMedia', () => {
  it('sends the same bytes to both providers with each side its own parameters', async () => {
    const result = await analyze({ models: { prosody: { granularity: 'SENTENCE' }, burst: true }, channelMode: 'MIX' });
    if (result.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(result));
    const { analysis } = result;
    expect(analysis.failures).toEqual([]);
    expect(stack.hume.uploadsOf(analysis.job!.id)).toEqual([{ filename: 'interview.wav', md5sum: md5, size: audio.data.length, contentType: 'audio/wav' }]);
    const phonexiaUpload = stack.phonexia.uploads.find((u) => u.taskId === analysis.emotionTask!.id)!;
    expect(phonexiaUpload).toMatchObject({ md5, size: audio.data.length, filename: 'interview.wav', query: { channel_mode: 'mix' } });

    const done = await settled(analysis.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.job!.status).toBe('COMPLETED');
    expect(done.job!.request.models).toEqual({ prosody: { granularity: 'SENTENCE' }, burst: true, face: null });
    expect(done.job!.request.files).toEqual([{ md5sum: md5, filename: 'interview.wav' }]);
    expect(done.emotionTask).toMatchObject({ status: 'DONE', request: { channelMode: 'MIX' } });
    expect(done.emotionTask!.channels).toHaveLength(1);
  });

  it('reports a side that failed to start and keeps the other', async () => {
    stack.phonexia.faults.add({ method: 'POST', fault: { kind: 'status', status: 507 } });
    const phonexiaDown = await analyze({ models: { burst: true } });
    if (phonexiaDown.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(phonexiaDown));
    expect(phonexiaDown.analysis).toMatchObject({
      status: 'FAILED',
      emotionTask: null,
      failures: [{ provider: 'PHONEXIA', stage: 'START', status: 507, code: 'storage.capacity-exceeded' }],
    });
    const survived = await eventually(async () => {
      const read = (await stack.execute(MediaAnalysisQuery, { id: phonexiaDown.analysis.id })).data!.mediaAnalysis!;
      return read.job?.status === 'COMPLETED' ? read : undefined;
    });
    expect(survived.status).toBe('FAILED');

    stack.hume.faults.add({ method: 'POST', fault: { kind: 'status', status: 500 } });
    const humeDown = await analyze({ models: { burst: true } });
    if (humeDown.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(humeDown));
    expect(humeDown.analysis).toMatchObject({ job: null, failures: [{ provider: 'HUME', stage: 'START', status: 500 }] });
    const task = await settled(humeDown.analysis.id);
    expect(task.emotionTask!.status).toBe('DONE');
  });

  it('reports which side failed while processing', async () => {
    const result = await analyze({ models: { burst: true } }, { ...audio, name: 'task-fails.wav' });
    if (result.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(result));
    const failed = await settled(result.analysis.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failures).toEqual([expect.objectContaining({ provider: 'PHONEXIA', stage: 'PROCESSING', code: 'internal' })]);
  });

  it('refuses bad input before either provider sees the upload', async () => {
    const humePosts = stack.hume.requests.count({ method: 'POST' });
    const phonexiaPosts = stack.phonexia.requests.count({ method: 'POST' });
    const result = await analyze({ channels: [-2], models: { face: { probThreshold: 2 } } });
    expect(result).toMatchObject({ __typename: 'ValidationError' });
    if (result.__typename !== 'ValidationError') return;
    expect(result.fields.map((f) => f.field).sort()).toEqual(['input.channels.0', 'input.models.face.probThreshold']);
    expect(stack.hume.requests.count({ method: 'POST' })).toBe(humePosts);
    expect(stack.phonexia.requests.count({ method: 'POST' })).toBe(phonexiaPosts);
  });

  it('answers null for an unknown analysis id', async () => {
    const { data, errors } = await stack.execute(MediaAnalysisQuery, { id: 'no-such-analysis' });
    expect(errors).toBeUndefined();
    expect(data!.mediaAnalysis).toBeNull();
  });
});
