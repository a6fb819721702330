/**
 * Long media, end to end over real HTTP: a real gateway in front of the real Hume simulator, a 3-hour face job
 * (32,400 predictions × 48 emotions, ~60 MiB of JSON) paged through by cursors and by time windows, and every page
 * compared with the simulator's raw answer fetched directly; an eviction from the predictions cache in the middle of
 * a walk; ten concurrent cold readers and the upstream GETs they cost; every model type's values round-tripping.
 * The gateway's cache holds 9 MiB here: one 3-hour face job (about 7.7 MiB compact) fits.
 */
import { describe, expect, it } from 'vitest';
import { encodeScores, compactPredictions } from '../src/providers/hume-batch/predictions/compact.js';
import { CompactSeries } from '../src/providers/hume-batch/predictions/series.js';
import { humeBatch } from '../src/providers/hume-batch/index.js';
import { ExpressionRuns } from '../src/providers/hume-expression/runs.js';
import { graphql } from './gql/index.js';
import { TEST_HUME_KEY, startHumeStack, useHumeStack, type HumeStack } from './support/hume-stack.js';

const LongFacePage = graphql(`
  query LongFacePage($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {
    job(id: $id) {
      predictions {
        predictions {
          models {
            face {
              groupedPredictions {
                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {
                  totalCount
                  pageInfo { hasNextPage endCursor }
                  nodes { frame time prob box { x y w h } emotions { name score } facs { name score } descriptions { name score } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

/** The lighter page for the walk by time windows: which prediction (frame, time) and its scores in order. */
const LongFaceScores = graphql(`
  query LongFaceScores($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {
    job(id: $id) {
      predictions {
        predictions {
          models {
            face {
              groupedPredictions {
                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {
                  totalCount
                  pageInfo { hasNextPage endCursor }
                  nodes { frame time emotions { score } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

const EveryModel = graphql(`
  query EveryModel($id: ID!) {
    job(id: $id) {
      predictions {
        source { __typename ... on UrlSource { url } }
        error
        errors { file message }
        predictions {
          file
          fileType
          models {
            face { groupedPredictions { label predictions(first: 1000) { totalCount nodes { frame time prob box { x y w h } emotions { name score } facs { name score } descriptions { name score } } } } }
            burst { groupedPredictions { label predictions(first: 1000) { totalCount nodes { time { begin end } emotions { name score } descriptions { name score } } } } }
            prosody {
              metadata { confidence detectedLanguage }
              groupedPredictions { label predictions(first: 1000) { totalCount nodes { text time { begin end } confidence speakerConfidence emotions { name score } } } }
            }
            language {
              metadata { confidence detectedLanguage }
              groupedPredictions {
                label
                predictions(first: 1000) {
                  totalCount
                  nodes { text position { begin end } time { begin end } confidence speakerConfidence emotions { name score } sentiment { name score } toxicity { name score } }
                }
              }
            }
            ner {
              metadata { confidence detectedLanguage }
              groupedPredictions {
                label
                predictions(first: 1000) {
                  totalCount
                  nodes { entity position { begin end } entityConfidence support uri linkWord time { begin end } confidence speakerConfidence emotions { name score } }
                }
              }
            }
            facemesh { groupedPredictions { label predictions(first: 1000) { totalCount nodes { emotions { name score } } } } }
          }
        }
      }
    }
  }
`);

type Raw = Record<string, unknown>;
const THREE_HOURS = 10_800;
const FRAMES = THREE_HOURS * 3;
const PAGE = 1000;
/** Walking 32,400 predictions with every score takes a while on a busy 2-core machine. */
const LONG_TEST_MS = 90_000;

let stack: HumeStack;
useHumeStack((s) => (stack = s), { env: { PREDICTIONS_CACHE_MB: '9' } });

const predictionGets = (id: string) => stack.sim.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}/predictions` });

async function rawPredictions(id: string): Promise<Raw[]> {
  const response = await fetch(`${stack.humeUrl}/v0/batch/jobs/${id}/predictions`, { headers: { 'x-hume-api-key': TEST_HUME_KEY } });
  expect(response.status).toBe(200);
  return (await response.json()) as Raw[];
}

/** The simulator's request log counts every GET: the test's own direct reads are taken out again. */
async function rawPredictionsUncounted(id: string): Promise<Raw[]> {
  const before = stack.sim.requests.entries.length;
  const raw = await rawPredictions(id);
  stack.sim.requests.entries.splice(before, 1);
  return raw;
}

/** The face predictions of the first group of the first file, as the provider sent them. */
function rawFaces(raw: Raw[]): Raw[] {
  const file = ((raw[0]!.results as Raw).predictions as Raw[])[0]!;
  return (((file.models as Raw).face as Raw).grouped_predictions as Raw[])[0]!.predictions as Raw[];
}

/** A face prediction as the gateway should show it: the provider's values under the GraphQL names, in query order. */
const faceNode = (p: Raw) => ({ frame: p.frame, time: p.time, prob: p.prob, box: p.box, emotions: p.emotions, facs: p.facs ?? null, descriptions: p.descriptions ?? null });

/**
 * Nodes equal to the expected predictions from `offset` on. Compared as JSON text first (the answer's keys follow
 * the query, and so do faceNode's), which is fast for 32,400 predictions; only a mismatch is diffed structurally.
 */
function expectNodes(nodes: unknown[], expected: unknown[], offset: number): void {
  const want = expected.slice(offset, offset + nodes.length);
  if (JSON.stringify(nodes) !== JSON.stringify(want)) expect(nodes).toEqual(want);
}

async function facePage(id: string, variables: { first?: number; after?: string | null; timeFrom?: number | null; timeTo?: number | null }) {
  const { data, errors } = await stack.execute(LongFacePage, { id, ...variables });
  expect(errors).toBeUndefined();
  return data!.job!.predictions![0]!.predictions![0]!.models.face!.groupedPredictions[0]!.predictions;
}

async function startCompleted(request: Raw): Promise<string> {
  return stack.startAtHume(request);
}

/** Pages through the whole job by cursors, checking each page against `expected`; returns how many it saw. */
async function walk(id: string, expected: unknown[]): Promise<number> {
  let after: string | null = null;
  for (let seen = 0; ; ) {
    const connection = await facePage(id, { first: PAGE, after });
    expect(connection.totalCount).toBe(FRAMES);
    expectNodes(connection.nodes, expected, seen);
    seen += connection.nodes.length;
    if (!connection.pageInfo.hasNextPage) return seen;
    expect(connection.nodes).toHaveLength(PAGE);
    after = connection.pageInfo.endCursor!;
  }
}

describe('a 3-hour face job, paged', () => {
  let longJob: string;
  let expected: unknown[];

  it('by cursors: every prediction once, in provider order, with the provider\'s values; one upstream read', async () => {
    longJob = await startCompleted({ urls: [`https://media.example/long.mp4?duration=${THREE_HOURS}`], models: { face: {} } });
    const raw = rawFaces(await rawPredictionsUncounted(longJob));
    expect(raw).toHaveLength(FRAMES);
    expected = raw.map(faceNode);
    expect(await walk(longJob, expected)).toBe(FRAMES);
    expect(predictionGets(longJob)).toBe(1);
    // Compact: well under half the answer's size.
    const build = stack.gateway.services.providers.get(humeBatch)!.jobs.builds.find((b) => b.jobId === longJob)!;
    expect(build.compactBytes / build.answerBytes).toBeLessThan(0.5);
  }, LONG_TEST_MS);

  it('by time windows (several pages each): every prediction once, in provider order, with the provider\'s scores', async () => {
    // The names of the scores were checked by the walk above; here only which prediction and its scores in order.
    const scoresOnly = (expected as Array<{ frame: unknown; time: unknown; emotions: Array<{ score: number }> }>).map((p) => ({
      frame: p.frame,
      time: p.time,
      emotions: p.emotions.map(({ score }) => ({ score })),
    }));
    const windowPage = async (variables: { first: number; after: string | null; timeFrom: number | null; timeTo: number | null }) => {
      const { data, errors } = await stack.execute(LongFaceScores, { id: longJob, ...variables });
      expect(errors).toBeUndefined();
      return data!.job!.predictions![0]!.predictions![0]!.models.face!.groupedPredictions[0]!.predictions;
    };
    let seen = 0;
    // Frames are 1/3 s apart; bounds 0.1 s before a frame never fall on one, so consecutive windows never share one.
    const WINDOW = 1500;
    for (let from = 0; from < THREE_HOURS; from += WINDOW) {
      let after: string | null = null;
      for (;;) {
        const connection = await windowPage({ first: PAGE, after, timeFrom: from === 0 ? null : from - 0.1, timeTo: from + WINDOW - 0.1 });
        expect(connection.totalCount).toBe(Math.min(WINDOW, THREE_HOURS - from) * 3);
        expectNodes(connection.nodes, scoresOnly, seen);
        seen += connection.nodes.length;
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor!;
      }
    }
    expect(seen).toBe(FRAMES);
    // One bound only, and a window past the end.
    expect((await facePage(longJob, { first: 5, timeFrom: 10_799 })).nodes).toEqual(expected.slice(-3));
    expect((await facePage(longJob, { first: 2, timeTo: 0.5 })).nodes).toEqual(expected.slice(0, 2));
    expect((await facePage(longJob, { first: 2, timeFrom: 20_000 })).totalCount).toBe(0);
    expect(predictionGets(longJob)).toBe(1);
  }, LONG_TEST_MS);
});

describe('an eviction from the cache in the middle of a walk', () => {
  it('changes nothing a client sees: the walk goes on from its cursor over a rebuilt copy', async () => {
    // A gateway whose cache holds one 20-minute face job (about 0.9 MiB compact) but not two.
    const small = await startHumeStack({ env: { PREDICTIONS_CACHE_MB: '1' } });
    try {
      const page = async (id: string, after: string | null) => {
        const { data, errors } = await small.execute(LongFacePage, { id, first: PAGE, after });
        expect(errors).toBeUndefined();
        return data!.job!.predictions![0]!.predictions![0]!.models.face!.groupedPredictions[0]!.predictions;
      };
      const gets = (id: string) => small.sim.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}/predictions` });
      const jobs = small.gateway.services.providers.get(humeBatch)!.jobs;
      const walked = await small.startAtHume({ urls: ['https://media.example/walked.mp4?duration=1200'], models: { face: {} } });
      const other = await small.startAtHume({ urls: ['https://media.example/other.mp4?duration=1200'], models: { face: {} } });
      const response = await fetch(`${small.humeUrl}/v0/batch/jobs/${walked}/predictions`, { headers: { 'x-hume-api-key': TEST_HUME_KEY } });
      const want = rawFaces((await response.json()) as Raw[]).map(faceNode);
      expect(want).toHaveLength(3600);
      const directReads = gets(walked);

      let after: string | null = null;
      let seen = 0;
      for (let n = 0; ; n++) {
        if (n === 2) {
          expect(jobs.hasCachedPredictions(walked)).toBe(true);
          expect((await page(other, null)).totalCount).toBe(3600);
          expect(jobs.hasCachedPredictions(other)).toBe(true);
          expect(jobs.hasCachedPredictions(walked)).toBe(false);
        }
        const connection = await page(walked, after);
        expect(connection.totalCount).toBe(3600);
        expectNodes(connection.nodes, want, seen);
        seen += connection.nodes.length;
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor!;
      }
      expect(seen).toBe(3600);
      // Read once before the eviction and once after it.
      expect(gets(walked) - directReads).toBe(2);
    } finally {
      await small.close();
    }
  }, LONG_TEST_MS);
});

describe('one fetch per job, whoever asks', () => {
  it('ten concurrent readers of an uncached job wait for one download and build', async () => {
    const id = await startCompleted({ urls: ['https://media.example/twenty-minutes.mp4?duration=1200'], models: { face: {} } });
    // Hume answers slowly, so all ten are surely waiting at once.
    stack.sim.faults.add({ method: 'GET', path: `/v0/batch/jobs/${id}/predictions`, fault: { kind: 'slow', delayMs: 300 } });
    const pages = await Promise.all(Array.from({ length: 10 }, () => facePage(id, { first: 3 })));
    expect(predictionGets(id)).toBe(1);
    const want = rawFaces(await rawPredictions(id)).slice(0, 3).map(faceNode);
    for (const page of pages) expect(page.nodes).toEqual(want);
  });
});

// ---- every model -----------------------------------------------------------------------------------------------

const timeOf = (t: unknown) => (t ? { begin: (t as Raw).begin, end: (t as Raw).end } : null);
const NODE_OF: Record<string, (p: Raw) => unknown> = {
  face: faceNode,
  burst: (p) => ({ time: timeOf(p.time), emotions: p.emotions, descriptions: p.descriptions ?? null }),
  prosody: (p) => ({ text: p.text ?? null, time: timeOf(p.time), confidence: p.confidence ?? null, speakerConfidence: p.speaker_confidence ?? null, emotions: p.emotions }),
  language: (p) => ({
    text: p.text,
    position: p.position,
    time: timeOf(p.time),
    confidence: p.confidence ?? null,
    speakerConfidence: p.speaker_confidence ?? null,
    emotions: p.emotions,
    sentiment: p.sentiment ?? null,
    toxicity: p.toxicity ?? null,
  }),
  ner: (p) => ({
    entity: p.entity,
    position: p.position,
    entityConfidence: p.entity_confidence,
    support: p.support,
    uri: p.uri,
    linkWord: p.link_word,
    time: timeOf(p.time),
    confidence: p.confidence ?? null,
    speakerConfidence: p.speaker_confidence ?? null,
    emotions: p.emotions,
  }),
  facemesh: (p) => ({ emotions: p.emotions }),
};

/** The whole answer as the EveryModel query should show it, mapped from the raw JSON independently of the gateway. */
function expectedEveryModel(raw: Raw[]) {
  return raw.map((entry) => {
    const source = entry.source as Raw;
    const results = entry.results as { predictions: Raw[]; errors: unknown[] } | undefined;
    return {
      source: source.type === 'url' ? { __typename: 'UrlSource', url: source.url } : { __typename: source.type === 'file' ? 'FileSource' : 'TextSource' },
      error: entry.error ?? null,
      errors: results?.errors ?? [],
      predictions:
        results?.predictions.map((file) => {
          const models = file.models as Record<string, Raw | undefined>;
          return {
            file: file.file,
            fileType: file.file_type ?? null,
            models: Object.fromEntries(
              Object.entries(NODE_OF).map(([model, node]) => {
                const output = models[model];
                if (!output) return [model, null];
                const metadata = output.metadata as Raw | null | undefined;
                const groups = (output.grouped_predictions as Raw[]).map((group) => {
                  const predictions = group.predictions as Raw[];
                  return { label: group.id, predictions: { totalCount: predictions.length, nodes: predictions.map(node) } };
                });
                const withMetadata = model === 'prosody' || model === 'language' || model === 'ner';
                return [
                  model,
                  withMetadata
                    ? { metadata: metadata ? { confidence: metadata.confidence, detectedLanguage: metadata.detected_language ?? null } : null, groupedPredictions: groups }
                    : { groupedPredictions: groups },
                ];
              }),
            ),
          };
        }) ?? null,
    };
  });
}

describe('every model goes through the compact form with the provider\'s values', () => {
  it('face (facs, descriptions, two faces), burst, prosody, language (sentiment, toxicity), ner and facemesh, on video, audio and text', async () => {
    const id = await startCompleted({
      urls: ['https://media.example/talk.mp4?duration=40', 'https://media.example/call.wav?duration=30', 'https://media.example/gone-unreachable.mp4'],
      text: ['I met Ada in Paris. We talked about Hume for hours!'],
      models: {
        face: { facs: {}, descriptions: {}, identify_faces: true },
        burst: {},
        prosody: { granularity: 'word' },
        language: { granularity: 'word', sentiment: {}, toxicity: {} },
        ner: {},
        facemesh: {},
      },
      transcription: { identify_speakers: true },
    });
    const raw = await rawPredictionsUncounted(id);
    const { data, errors } = await stack.execute(EveryModel, { id });
    expect(errors).toBeUndefined();
    expect(data!.job!.predictions).toEqual(expectedEveryModel(raw));
    // Every model is there, some with several groups, so the comparison above covered each.
    const files = data!.job!.predictions!.flatMap((s) => s.predictions ?? []);
    for (const model of Object.keys(NODE_OF)) expect(files.some((f) => (f.models as Record<string, unknown>)[model] !== null)).toBe(true);
    expect(files[0]!.models.face!.groupedPredictions.map((g) => g.label)).toEqual(['face_0', 'face_1']);

    // Prosody in fixed windows (time only), and a window query on a model whose times are intervals.
    const windowed = await startCompleted({ urls: ['https://media.example/windows.wav?duration=20'], models: { prosody: { window: { length: 4, step: 1 } } } });
    const windowedRaw = await rawPredictionsUncounted(windowed);
    const { data: windowedData } = await stack.execute(EveryModel, { id: windowed });
    expect(windowedData!.job!.predictions).toEqual(expectedEveryModel(windowedRaw));
  });
});

// ---- the compact form's rules, on values the simulator does not produce ---------------------------------------------

describe('compact scores', () => {
  it('float32 only when every value comes back exactly; otherwise float64', () => {
    const sixDecimals = Float64Array.from([0.123456, 0.5, 0, 0.999999, 1.25]);
    expect(encodeScores(sixDecimals, () => true, 5)).toMatchObject({ decimals: 6 });
    expect(encodeScores(sixDecimals, () => true, 5).values).toBeInstanceOf(Float32Array);
    // A model's float32 output printed in full is kept as is.
    const float32s = Float64Array.from([0.10836821794509888, Math.fround(0.3), Math.fround(1e-7)]);
    expect(encodeScores(float32s, () => true, 3)).toMatchObject({ decimals: null, values: Float32Array.from(float32s) });
    // Neither: seventeen significant digits that are no float32.
    const doubles = Float64Array.from([0.1234567890123, 0.5]);
    const kept = encodeScores(doubles, () => true, 2);
    expect(kept.values).toBeInstanceOf(Float64Array);
    expect([...kept.values]).toEqual([...doubles]);
    // Large decimals lose places in float32: checked, not assumed.
    const large = Float64Array.from([123456.123456]);
    expect(encodeScores(large, () => true, 1).values).toBeInstanceOf(Float64Array);
  });

  it('lists out of the label order, missing lists and unordered times are kept exactly', () => {
    const emotions = (a: number, b: number) => [{ name: 'Joy', score: a }, { name: 'Awe', score: b }];
    const wire = [
      {
        source: { type: 'text' as const },
        results: {
          errors: [],
          predictions: [
            {
              file: 'x',
              models: {
                burst: {
                  grouped_predictions: [
                    {
                      id: 'unknown',
                      predictions: [
                        { time: { begin: 5, end: 9 }, emotions: emotions(0.25, 0.5), descriptions: [{ name: 'Sigh', score: 0.1 }] },
                        { time: { begin: 1, end: 2 }, emotions: [{ name: 'Awe', score: 0.75 }, { name: 'Joy', score: 0.125 }], descriptions: [] },
                        { time: { begin: 3, end: 4 }, emotions: emotions(0.123456789012, 1), descriptions: null },
                      ],
                    },
                  ],
                },
              },
            },
          ],
        },
      },
    ];
    const compact = compactPredictions(wire as never);
    const series = new CompactSeries('burst', compact[0]!.files![0]!.models.burst!.groups[0]!.columns);
    expect([0, 1, 2].map((i) => series.at(i))).toEqual([
      { time: { begin: 5, end: 9 }, emotions: emotions(0.25, 0.5), descriptions: [{ name: 'Sigh', score: 0.1 }] },
      { time: { begin: 1, end: 2 }, emotions: [{ name: 'Awe', score: 0.75 }, { name: 'Joy', score: 0.125 }], descriptions: [] },
      { time: { begin: 3, end: 4 }, emotions: emotions(0.123456789012, 1), descriptions: null },
    ]);
    const window = series.select(2, 4);
    expect(Array.from({ length: window.length }, (_, k) => window.at(k))).toEqual([1, 2]);
    expect(series.select(null, null).length).toBe(3);
    expect(() => series.at(3)).toThrow(RangeError);
  });
});

// ---- Hume expression: a long audio's finished run is parsed once per process ------------------------------------------

describe('finished expression runs', () => {
  it('are read from the store once and then kept parsed; running ones are read every time', async () => {
    const stored = new Map<string, string>();
    let reads = 0;
    const records = {
      async get<T>(_namespace: string, key: string) {
        reads++;
        const text = stored.get(key);
        return text === undefined ? undefined : (JSON.parse(text) as T);
      },
      async put() {},
      async putIfAbsent() {
        return true;
      },
      async delete() {},
    };
    const tracking = { track: async () => {}, startSweeping: () => {}, active: [], close: async () => {} };
    const runs = new ExpressionRuns({} as never, records, () => tracking, async () => {}, { clock: { now: Date.now } as never, log: () => {}, secret: '' });
    const measurement = { trigger: 'INTERVAL', startMs: 0, endMs: 3000, emotions: [{ name: 'Calmness', score: 0.5 }], voiceAttributes: [] };
    const run = (id: string, status: string) => ({ id, kind: 'AUDIO', status, request: {}, createdAt: 0, updatedAt: 0, images: null, error: null, audio: [{ channel: 0, providerRunId: 'r', utterances: [{ startMs: 0, endMs: 3000, measurements: [measurement] }] }] });
    stored.set('done', JSON.stringify(run('done', 'COMPLETED')));
    stored.set('busy', JSON.stringify(run('busy', 'RUNNING')));

    const first = await runs.get('done');
    expect(await runs.get('done')).toBe(first);
    expect(first).toEqual(run('done', 'COMPLETED'));
    expect(reads).toBe(1);
    await runs.get('busy');
    await runs.get('busy');
    expect(reads).toBe(3);
  });
});
