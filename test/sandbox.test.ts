/**
 * The quick start as a new user runs it: `npm start` with nothing configured is the gateway in sandbox mode, with
 * every provider simulator in-process and Hume's callbacks reaching the gateway itself. A text job with the language model
 * completes and its predictions can be queried; analyzeMedia runs on a WAV sample and both results show; measureAudio
 * measures the stereo sample with Hume expression, watched live over WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { subscribeWs, wsClient } from './support/live-clients.js';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const StartTextJob = graphql(`
  mutation SandboxTextJob {
    startJob(input: { text: ["I love this. Paris is lovely in spring."], models: { language: { sentiment: true } } }) {
      __typename
      ... on StartJobSuccess { job { id request { callbackEnabled } } }
    }
  }
`);

const JobLive = graphql(`
  subscription SandboxJobLive($id: ID!) {
    jobUpdated(id: $id) {
      status
      predictions { predictions { models { language { groupedPredictions { predictions(first: 3) { nodes { text emotions(top: 1) { name } sentiment { name } } } } } } } }
    }
  }
`);

const AnalyzeSample = graphql(`
  mutation SandboxAnalyze {
    analyzeMedia(input: { file: "sample:stereo-call.wav", models: { burst: true } }) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id } }
    }
  }
`);

const AnalysisLive = graphql(`
  subscription SandboxAnalysisLive($id: ID!) {
    mediaAnalysisUpdated(id: $id) {
      status
      job { status request { files { filename } } }
      emotionTask { status request { fileName } channels { channel dominantEmotion { name } } }
    }
  }
`);

const MeasureSample = graphql(`
  mutation SandboxMeasure {
    measureAudio(input: { file: "sample:stereo-call.wav" }) {
      __typename
      ... on MeasureSuccess { run { id status } }
    }
  }
`);

const RunLive = graphql(`
  subscription SandboxRunLive($id: ID!) {
    expressionRunUpdated(id: $id) {
      status
      error
      audio { channel utterances { startMs endMs measurements { emotions(top: 1) { name score } } } }
    }
  }
`);

let gateway: GatewayProcess;
beforeAll(async () => {
  // Nothing configured: sandbox mode by default (SANDBOX is not set here).
  gateway = await startGatewayProcess({ SANDBOX: '' });
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
});

async function post<R>(document: TypedDocumentNode<R, Record<string, never>>): Promise<R> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(document) }),
  });
  const result = (await response.json()) as { data: R; errors?: unknown };
  expect(result.errors).toBeUndefined();
  return result.data;
}

describe('sandbox mode', () => {
  it('says so at start-up', () => {
    expect(gateway.logs()).toContain('SANDBOX MODE');
  });

  it('runs a text job with the language model to completion through its callback, with predictions', async () => {
    const started = await post(StartTextJob);
    if (started.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(started));
    expect(started.startJob.job.request.callbackEnabled).toBe(true);
    const client = wsClient(gateway.url);
    const results = await subscribeWs(client, JobLive, { id: started.startJob.job.id }).done;
    await client.dispose();
    const last = results.at(-1)!.data!.jobUpdated;
    expect(last.status).toBe('COMPLETED');
    const words = last.predictions![0]!.predictions![0]!.models.language!.groupedPredictions[0]!.predictions.nodes;
    expect(words.map((w) => w.text)).toEqual(['I', 'love', 'this']);
    expect(words[0]!.sentiment).toHaveLength(9);
  }, 30_000);

  it('analyses a WAV sample with both providers and shows both results', async () => {
    const started = await post(AnalyzeSample);
    if (started.analyzeMedia.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(started));
    const client = wsClient(gateway.url);
    const results = await subscribeWs(client, AnalysisLive, { id: started.analyzeMedia.analysis.id }).done;
    await client.dispose();
    const last = results.at(-1)!.data!.mediaAnalysisUpdated;
    expect(last.status).toBe('COMPLETED');
    expect(last.job).toMatchObject({ status: 'COMPLETED', request: { files: [{ filename: 'stereo-call.wav' }] } });
    expect(last.emotionTask).toMatchObject({ status: 'DONE', request: { fileName: 'stereo-call.wav' } });
    expect(last.emotionTask!.channels!.map((c) => c.channel)).toEqual([0, 1]);
  }, 30_000);

  it('measures the stereo sample with Hume expression: the run shows RUNNING, then COMPLETED with both channels measured', async () => {
    const client = wsClient(gateway.url);
    try {
      const started = await post(MeasureSample);
      if (started.measureAudio.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(started));
      expect(started.measureAudio.run!.status).toBe('RUNNING');
      const results = await subscribeWs(client, RunLive, { id: started.measureAudio.run!.id }).done;
      const states = results.map((r) => r.data!.expressionRunUpdated);
      expect(states[0]!.status).toBe('RUNNING');
      const last = states.at(-1)!;
      expect(last).toMatchObject({ status: 'COMPLETED', error: null });
      expect(last.audio!.map((c) => c.channel)).toEqual([0, 1]);
      for (const channel of last.audio!) {
        // The sample is 12 s of tone on each channel: speech to Hume's detector from start to end.
        expect(channel.utterances.length).toBeGreaterThan(0);
        expect(channel.utterances.at(-1)!.endMs).toBeGreaterThan(10_000);
        expect(channel.utterances.flatMap((u) => u.measurements).every((m) => m.emotions.length === 1 && m.emotions[0]!.score > 0)).toBe(true);
      }
    } finally {
      await client.dispose();
    }
  }, 30_000);
});
