/**
 * The quick start as a new user runs it: `npm start` with nothing configured is the gateway in sandbox mode, with
 * both simulators in-process and Hume's callbacks reaching the gateway itself. A text job with the language model
 * completes and its predictions can be queried; analyzeMedia runs on a WAV sample and both results show.
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
});
