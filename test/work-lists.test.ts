/**
 * `emotionTasks` and `mediaAnalyses`: the caller's own work from the gateway's work index, newest first, paged with
 * Relay cursors. Tasks started on their own and tasks that are a side of an analysis are both listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const StartTask = graphql(`
  mutation ListsStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }
  }
`);

const Analyze = graphql(`
  mutation ListsAnalyze($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) { __typename ... on AnalyzeMediaSuccess { analysis { id emotionTask { id } } } }
  }
`);

const Tasks = graphql(`
  query ListsTasks($first: Int, $after: String) {
    emotionTasks(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id request { fileName } } }
  }
`);

const Analyses = graphql(`
  query ListsAnalyses($first: Int, $after: String) {
    mediaAnalyses(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id sides { provider } } }
  }
`);

const wav = (name: string) => ({ name, type: 'audio/wav', data: pcmWav({ channels: 1, seconds: 1 }) });

let stack: Stack;
const taskIds: string[] = [];
const analysisIds: string[] = [];
let analysisTaskId = '';

beforeAll(async () => {
  stack = await startStack({ hume: false, humeExpression: false });
  for (const name of ['first.wav', 'second.wav', 'third.wav']) {
    const started = await stack.upload(StartTask, { input: { file: null as never } }, { 'variables.input.file': wav(name) });
    if (started.data?.startEmotionTask.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(started));
    taskIds.push(started.data.startEmotionTask.task.id);
  }
  for (const name of ['call-a.wav', 'call-b.wav']) {
    const started = await stack.upload(Analyze, { input: { file: null as never } }, { 'variables.input.file': wav(name) });
    if (started.data?.analyzeMedia.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(started));
    analysisIds.push(started.data.analyzeMedia.analysis.id);
    analysisTaskId = started.data.analyzeMedia.analysis.emotionTask!.id;
  }
});
afterAll(async () => {
  await stack?.close();
});

describe('emotionTasks', () => {
  it("pages the caller's tasks newest first, the analyses' tasks included", async () => {
    const first = (await stack.execute(Tasks, { first: 3 })).data!.emotionTasks;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await stack.execute(Tasks, { first: 3, after: first.pageInfo.endCursor })).data!.emotionTasks;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const listed = [...first.nodes, ...second.nodes];
    expect(listed).toHaveLength(5);
    expect(listed[0]!.id).toBe(analysisTaskId);
    expect(listed.slice(2).map((task) => task.id)).toEqual([...taskIds].reverse());
    expect(listed.slice(2).map((task) => task.request.fileName)).toEqual(['third.wav', 'second.wav', 'first.wav']);
  });

  it('refuses a page size over 100 and a cursor it did not make', async () => {
    expect((await stack.execute(Tasks, { first: 101 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await stack.execute(Tasks, { after: 'not-a-cursor' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('mediaAnalyses', () => {
  it("pages the caller's analyses newest first", async () => {
    const first = (await stack.execute(Analyses, { first: 1 })).data!.mediaAnalyses;
    expect(first.nodes.map((a) => a.id)).toEqual([analysisIds[1]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await stack.execute(Analyses, { first: 10, after: first.pageInfo.endCursor })).data!.mediaAnalyses;
    expect(rest.nodes.map((a) => a.id)).toEqual([analysisIds[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.nodes[0]!.sides).toEqual([{ provider: 'PHONEXIA' }]);
  });
});
