/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AnalysisFailureStage =
  /** The provider failed the work. */
  | 'PROCESSING'
  /** The provider refused or could not take the upload. */
  | 'START';

export type AnalysisProvider =
  /** Hume batch (v0) jobs: the models in `models` (all of them when omitted). Only where HUME_BASE_URL is configured. */
  | 'HUME_BATCH'
  /** Hume expression (v1): speech measurements per utterance, each channel of a PCM WAV on its own. */
  | 'HUME_EXPRESSION'
  /** Phonexia emotion recognition: angry, happy, neutral and sad per channel. */
  | 'PHONEXIA';

export type AnalysisStatus =
  /** Every side the analysis used finished successfully. */
  | 'COMPLETED'
  /** At least one side failed to start or failed while processing; see failures. */
  | 'FAILED'
  /** At least one side is still working and none has failed. */
  | 'RUNNING';

export type AnalyzeMediaInput = {
  /** Phonexia: each channel on its own (SPLIT, default) or mixed down (MIX). */
  channelMode?: ChannelMode | null | undefined;
  /** 0-based channels to analyse (each on its own, where a provider splits by channel); all when omitted. */
  channels?: Array<number> | null | undefined;
  /** Hume expression settings. */
  expression?: AudioMeasurementInput | null | undefined;
  /** The media file, sent to every provider used. */
  file: File | string;
  /** Repeating a start with the same key returns the first analysis instead of starting another. */
  idempotencyKey?: string | null | undefined;
  /** Phonexia: at most this many seconds of speech are used (> 0). */
  maxSpeechLength?: number | null | undefined;
  /** Hume batch models; all of them when omitted. */
  models?: ModelsInput | null | undefined;
  /** Which providers analyse it; default: every configured one. */
  providers?: Array<AnalysisProvider> | null | undefined;
  /** Phonexia: start of processing in seconds (>= 0). */
  rangeFrom?: number | null | undefined;
  /** Phonexia: end of processing in seconds (> rangeFrom). */
  rangeTo?: number | null | undefined;
};

export type AudioMeasurementInput = {
  /** Milliseconds of speech between measurements within an utterance, 3000 to 10000 (default 3000). */
  measurementTimerMs?: number | null | undefined;
};

export type ChannelMode =
  /** The selected channels mixed down first: one result. */
  | 'MIX'
  /** Each selected channel on its own: one result per channel. */
  | 'SPLIT';

export type EmotionTaskStatus =
  | 'DONE'
  /** Something broke while processing; the same request may succeed later. */
  | 'FAILED'
  | 'PENDING'
  /** The input did not meet a requirement; retry only with different input. */
  | 'REJECTED'
  | 'RUNNING';

export type ExpressionRunKind =
  /** Speech in an audio file. */
  | 'AUDIO'
  /** Faces in JPEG images. */
  | 'IMAGES';

export type ExpressionRunStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING';

export type FaceMeasurementInput = {
  /** Faces whose box's shorter side is below this many pixels are skipped (default 60). */
  minSize?: number | null | undefined;
  /** Faces detected with less confidence are skipped, 0 to 1 (default 0.9). */
  threshold?: number | null | undefined;
};

export type FaceModelInput = {
  /** Include face description scores. */
  descriptions?: boolean | null | undefined;
  /** Include FACS 2.0 action unit scores. */
  facs?: boolean | null | undefined;
  /** Frames per second sampled from video (default 3; 0 = every frame). */
  fpsPred?: number | null | undefined;
  /** Group predictions per face (face_0, face_1, ...). */
  identifyFaces?: boolean | null | undefined;
  /** Minimum face box side in pixels (default 60). */
  minFaceSize?: number | null | undefined;
  /** Drop faces detected below this probability, 0 to 1 (default 0.99). */
  probThreshold?: number | null | undefined;
  /** Put detected face crops in the artifacts ZIP. */
  saveFaces?: boolean | null | undefined;
};

export type Granularity =
  /** One output per change of speaker. */
  | 'CONVERSATIONAL_TURN'
  | 'SENTENCE'
  /** Between word and sentence, split at natural pauses. */
  | 'UTTERANCE'
  | 'WORD';

export type JobStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'QUEUED';

export type LanguageModelInput = {
  granularity?: Granularity | null | undefined;
  identifySpeakers?: boolean | null | undefined;
  /** Include sentiment levels 1-9. */
  sentiment?: boolean | null | undefined;
  /** Include the six toxicity scores. */
  toxicity?: boolean | null | undefined;
};

export type MeasureImagesInput = {
  face?: FaceMeasurementInput | null | undefined;
  /** JPEG images, at most 2 MB and 8.3 megapixels each, 25 MB in all. */
  files: Array<File | string>;
  /** Repeating a measurement with the same key returns the first run instead of starting another. */
  idempotencyKey?: string | null | undefined;
};

/** Which Hume models run. Omit the whole input to run every model with its defaults. */
export type ModelsInput = {
  /** Vocal bursts. */
  burst?: boolean | null | undefined;
  face?: FaceModelInput | null | undefined;
  /** Anonymised facial expression from face mesh. */
  facemesh?: boolean | null | undefined;
  language?: LanguageModelInput | null | undefined;
  ner?: NerModelInput | null | undefined;
  prosody?: ProsodyModelInput | null | undefined;
};

export type NerModelInput = {
  identifySpeakers?: boolean | null | undefined;
};

export type ProsodyModelInput = {
  granularity?: Granularity | null | undefined;
  identifySpeakers?: boolean | null | undefined;
  /** Sliding windows instead of granularity. */
  window?: WindowInput | null | undefined;
};

export type Provider =
  /** Hume */
  | 'HUME'
  /** Hume expression */
  | 'HUME_EXPRESSION'
  /** Phonexia */
  | 'PHONEXIA';

export type StartJobInput = {
  /** Uploaded media or archives (at most 100, 100 MB each). */
  files?: Array<File | string> | null | undefined;
  /** Repeating a start with the same key returns the first job instead of starting another. */
  idempotencyKey?: string | null | undefined;
  models?: ModelsInput | null | undefined;
  /** E-mail the Hume account owner when the job ends. */
  notify?: boolean | null | undefined;
  /** Raw text for the language and NER models (at most 100). */
  text?: Array<string> | null | undefined;
  transcription?: TranscriptionInput | null | undefined;
  /** Public media or archive URLs (at most 100). */
  urls?: Array<string> | null | undefined;
};

export type TranscriptionInput = {
  /** Discard transcripts below this confidence, 0 to 1 (default 0.5). */
  confidenceThreshold?: number | null | undefined;
  /** False switches transcription off (prosody then ignores granularity). */
  enabled?: boolean | null | undefined;
  identifySpeakers?: boolean | null | undefined;
  /** BCP-47 tag, one of: zh, da, nl, en, en-AU, en-IN, en-NZ, en-GB, fr, fr-CA, de, hi, hi-Latn, id, it, ja, ko, no, pl, pt, pt-BR, pt-PT, ru, es, es-419, sv, ta, tr, uk. Omit for automatic detection. */
  language?: string | null | undefined;
};

export type WindowInput = {
  /** Window length in seconds, at least 0.5 (default 4). */
  length?: number | null | undefined;
  /** Step between windows in seconds, at least 0.5 (default 1). */
  step?: number | null | undefined;
};

export type AppProbeQueryVariables = Exact<{ [key: string]: never; }>;


export type AppProbeQuery = { __typename: 'Query' };

export type AppAnalyzeMediaMutationVariables = Exact<{
  input: AnalyzeMediaInput;
}>;


export type AppAnalyzeMediaMutation = { analyzeMedia:
    | { __typename: 'AnalyzeMediaSuccess', analysis: { id: string } }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'RateLimitedError', message: string }
    | { __typename: 'StartLimitError', message: string }
    | { __typename: 'ValidationError', message: string, fields: Array<{ field: string, message: string }> }
   };

export type AppAnalysisLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppAnalysisLiveSubscription = { mediaAnalysisUpdated: { id: string, status: AnalysisStatus, createdAt: string, sides: Array<{ provider: Provider, workId: string | null }>, failures: Array<{ provider: Provider, stage: AnalysisFailureStage, message: string }>, job: { id: string, status: JobStatus, state:
        | { __typename: 'JobCompleted', createdAt: string, endedAt: string }
        | { __typename: 'JobFailed', createdAt: string, endedAt: string, message: string }
        | { __typename: 'JobInProgress', createdAt: string }
        | { __typename: 'JobQueued', createdAt: string }
       } | null, emotionTask: { id: string, status: EmotionTaskStatus, createdAt: string, updatedAt: string, error: { message: string } | null, request: { fileName: string } } | null, expressionRun: { id: string, status: ExpressionRunStatus, createdAt: string, updatedAt: string, error: string | null, request:
        | { __typename: 'AudioMeasurementRequest', fileName: string, channels: Array<number>, durationMs: number }
        | { __typename: 'ImageMeasurementRequest' }
       } | null, channels: Array<{ channel: number, emotions: { speechLength: number, emotions: Array<{ name: string, score: number }> } | null, utterances: Array<{ startMs: number, endMs: number, measurements: Array<{ startMs: number, endMs: number, emotions: Array<{ name: string, score: number }> }> }> | null }> | null } };

export type AppAnalysesQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type AppAnalysesQuery = { mediaAnalyses: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: AnalysisStatus, createdAt: string, sides: Array<{ provider: Provider }>, emotionTask: { request: { fileName: string } } | null, expressionRun: { request:
          | { __typename: 'AudioMeasurementRequest', fileName: string }
          | { __typename: 'ImageMeasurementRequest' }
         } | null }> } };

export type AppAnalysisStatusSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppAnalysisStatusSubscription = { mediaAnalysisUpdated: { id: string, status: AnalysisStatus } };

export type AppStartJobMutationVariables = Exact<{
  input: StartJobInput;
}>;


export type AppStartJobMutation = { startJob:
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'RateLimitedError', message: string }
    | { __typename: 'StartJobSuccess', job: { id: string } }
    | { __typename: 'StartLimitError', message: string }
    | { __typename: 'ValidationError', message: string, fields: Array<{ field: string, message: string }> }
   };

export type AppJobLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppJobLiveSubscription = { jobUpdated: { id: string, status: JobStatus, state:
      | { __typename: 'JobCompleted', createdAt: string, endedAt: string, numPredictions: number, numErrors: number }
      | { __typename: 'JobFailed', createdAt: string, endedAt: string, message: string }
      | { __typename: 'JobInProgress', createdAt: string, startedAt: string }
      | { __typename: 'JobQueued', createdAt: string }
    , request: { urls: Array<string>, text: Array<string>, files: Array<{ filename: string | null }>, models: { burst: boolean, face: { fpsPred: number | null } | null, prosody: { granularity: Granularity | null } | null } | null } } };

export type AppJobContentsQueryVariables = Exact<{
  id: string | number;
}>;


export type AppJobContentsQuery = { job: { id: string, predictions: Array<{ error: string | null, source:
        | { __typename: 'FileSource', filename: string | null }
        | { __typename: 'TextSource', type: string }
        | { __typename: 'UrlSource', url: string }
      , errors: Array<{ file: string, message: string }>, predictions: Array<{ file: string, fileType: string | null, models: { face: { groupedPredictions: Array<{ id: string, label: string, predictions: { totalCount: number, nodes: Array<{ time: number }> } }> } | null, prosody: { groupedPredictions: Array<{ id: string, label: string, predictions: { totalCount: number, nodes: Array<{ time: { end: number } }> } }> } | null, burst: { groupedPredictions: Array<{ id: string, label: string, predictions: { totalCount: number, nodes: Array<{ time: { end: number } }> } }> } | null } }> | null }> | null } | null };

export type AppFacePageQueryVariables = Exact<{
  id: string | number;
  from: number;
  to: number;
  after?: string | null | undefined;
  first: number;
}>;


export type AppFacePageQuery = { job: { predictions: Array<{ predictions: Array<{ file: string, models: { face: { groupedPredictions: Array<{ id: string, predictions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ time: number, emotions: Array<{ name: string, score: number }> }> } }> } | null } }> | null }> | null } | null };

export type AppProsodyPageQueryVariables = Exact<{
  id: string | number;
  from: number;
  to: number;
  after?: string | null | undefined;
  first: number;
}>;


export type AppProsodyPageQuery = { job: { predictions: Array<{ predictions: Array<{ file: string, models: { prosody: { groupedPredictions: Array<{ id: string, predictions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ time: { begin: number, end: number }, emotions: Array<{ name: string, score: number }> }> } }> } | null } }> | null }> | null } | null };

export type AppBurstPageQueryVariables = Exact<{
  id: string | number;
  from: number;
  to: number;
  after?: string | null | undefined;
  first: number;
}>;


export type AppBurstPageQuery = { job: { predictions: Array<{ predictions: Array<{ file: string, models: { burst: { groupedPredictions: Array<{ id: string, predictions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ time: { begin: number, end: number }, emotions: Array<{ name: string, score: number }> }> } }> } | null } }> | null }> | null } | null };

export type AppJobImageFacesQueryVariables = Exact<{
  id: string | number;
}>;


export type AppJobImageFacesQuery = { job: { predictions: Array<{ predictions: Array<{ file: string, fileType: string | null, models: { face: { groupedPredictions: Array<{ id: string, predictions: { nodes: Array<{ emotions: Array<{ name: string, score: number }> }> } }> } | null } }> | null }> | null } | null };

export type AppJobsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type AppJobsQuery = { jobs: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: JobStatus, state:
        | { __typename: 'JobCompleted', createdAt: string }
        | { __typename: 'JobFailed', createdAt: string }
        | { __typename: 'JobInProgress', createdAt: string }
        | { __typename: 'JobQueued', createdAt: string }
      , request: { urls: Array<string>, text: Array<string>, files: Array<{ filename: string | null }> } }> } };

export type AppJobStatusSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppJobStatusSubscription = { jobUpdated: { id: string, status: JobStatus } };

export type AppMeasureImagesMutationVariables = Exact<{
  input: MeasureImagesInput;
}>;


export type AppMeasureImagesMutation = { measureImages:
    | { __typename: 'MeasureSuccess', run: { id: string } }
    | { __typename: 'PayloadTooLargeError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'RateLimitedError', message: string }
    | { __typename: 'StartLimitError', message: string }
    | { __typename: 'ValidationError', message: string, fields: Array<{ field: string, message: string }> }
   };

export type AppRunLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppRunLiveSubscription = { expressionRunUpdated: { id: string, kind: ExpressionRunKind, status: ExpressionRunStatus, error: string | null, createdAt: string, updatedAt: string, request:
      | { __typename: 'AudioMeasurementRequest', fileName: string, channels: Array<number>, durationMs: number }
      | { __typename: 'ImageMeasurementRequest', fileNames: Array<string> }
    , audio: Array<{ channel: number, utterances: Array<{ startMs: number, endMs: number, measurements: Array<{ startMs: number, endMs: number, emotions: Array<{ name: string, score: number }> }> }> }> | null, images: Array<{ fileName: string, faces: Array<{ faceId: string | null, measured: boolean, confidence: number | null, box: { x: number, y: number, width: number, height: number } | null, emotions: Array<{ name: string, score: number }> }> }> | null } };

export type AppRunsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type AppRunsQuery = { expressionRuns: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, kind: ExpressionRunKind, status: ExpressionRunStatus, createdAt: string, request:
        | { __typename: 'AudioMeasurementRequest', fileName: string }
        | { __typename: 'ImageMeasurementRequest', fileNames: Array<string> }
       }> } };

export type AppRunStatusSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppRunStatusSubscription = { expressionRunUpdated: { id: string, status: ExpressionRunStatus } };

export type AppTaskLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppTaskLiveSubscription = { emotionTaskUpdated: { id: string, status: EmotionTaskStatus, createdAt: string, updatedAt: string, error: { message: string } | null, request: { fileName: string, channelMode: ChannelMode }, channels: Array<{ channel: number, speechLength: number, emotions: Array<{ name: string, score: number }> }> | null } };

export type AppTasksQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type AppTasksQuery = { emotionTasks: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: EmotionTaskStatus, createdAt: string, request: { fileName: string } }> } };

export type AppTaskStatusSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type AppTaskStatusSubscription = { emotionTaskUpdated: { id: string, status: EmotionTaskStatus } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const AppProbeDocument = new TypedDocumentString(`
    query AppProbe {
  __typename
}
    `) as unknown as TypedDocumentString<AppProbeQuery, AppProbeQueryVariables>;
export const AppAnalyzeMediaDocument = new TypedDocumentString(`
    mutation AppAnalyzeMedia($input: AnalyzeMediaInput!) {
  analyzeMedia(input: $input) {
    __typename
    ... on AnalyzeMediaSuccess {
      analysis {
        id
      }
    }
    ... on ValidationError {
      message
      fields {
        field
        message
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AppAnalyzeMediaMutation, AppAnalyzeMediaMutationVariables>;
export const AppAnalysisLiveDocument = new TypedDocumentString(`
    subscription AppAnalysisLive($id: ID!) {
  mediaAnalysisUpdated(id: $id) {
    id
    status
    createdAt
    sides {
      provider
      workId
    }
    failures {
      provider
      stage
      message
    }
    job {
      id
      status
      state {
        __typename
        ... on JobQueued {
          createdAt
        }
        ... on JobInProgress {
          createdAt
        }
        ... on JobCompleted {
          createdAt
          endedAt
        }
        ... on JobFailed {
          createdAt
          endedAt
          message
        }
      }
    }
    emotionTask {
      id
      status
      createdAt
      updatedAt
      error {
        message
      }
      request {
        fileName
      }
    }
    expressionRun {
      id
      status
      createdAt
      updatedAt
      error
      request {
        __typename
        ... on AudioMeasurementRequest {
          fileName
          channels
          durationMs
        }
      }
    }
    channels {
      channel
      emotions {
        speechLength
        emotions {
          name
          score
        }
      }
      utterances {
        startMs
        endMs
        measurements {
          startMs
          endMs
          emotions {
            name
            score
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppAnalysisLiveSubscription, AppAnalysisLiveSubscriptionVariables>;
export const AppAnalysesDocument = new TypedDocumentString(`
    query AppAnalyses($after: String) {
  mediaAnalyses(first: 20, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      createdAt
      sides {
        provider
      }
      emotionTask {
        request {
          fileName
        }
      }
      expressionRun {
        request {
          __typename
          ... on AudioMeasurementRequest {
            fileName
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppAnalysesQuery, AppAnalysesQueryVariables>;
export const AppAnalysisStatusDocument = new TypedDocumentString(`
    subscription AppAnalysisStatus($id: ID!) {
  mediaAnalysisUpdated(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AppAnalysisStatusSubscription, AppAnalysisStatusSubscriptionVariables>;
export const AppStartJobDocument = new TypedDocumentString(`
    mutation AppStartJob($input: StartJobInput!) {
  startJob(input: $input) {
    __typename
    ... on StartJobSuccess {
      job {
        id
      }
    }
    ... on ValidationError {
      message
      fields {
        field
        message
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AppStartJobMutation, AppStartJobMutationVariables>;
export const AppJobLiveDocument = new TypedDocumentString(`
    subscription AppJobLive($id: ID!) {
  jobUpdated(id: $id) {
    id
    status
    state {
      __typename
      ... on JobQueued {
        createdAt
      }
      ... on JobInProgress {
        createdAt
        startedAt
      }
      ... on JobCompleted {
        createdAt
        endedAt
        numPredictions
        numErrors
      }
      ... on JobFailed {
        createdAt
        endedAt
        message
      }
    }
    request {
      urls
      text
      files {
        filename
      }
      models {
        face {
          fpsPred
        }
        prosody {
          granularity
        }
        burst
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppJobLiveSubscription, AppJobLiveSubscriptionVariables>;
export const AppJobContentsDocument = new TypedDocumentString(`
    query AppJobContents($id: ID!) {
  job(id: $id) {
    id
    predictions {
      source {
        __typename
        ... on UrlSource {
          url
        }
        ... on FileSource {
          filename
        }
        ... on TextSource {
          type
        }
      }
      error
      errors {
        file
        message
      }
      predictions {
        file
        fileType
        models {
          face {
            groupedPredictions {
              id
              label
              predictions(last: 1) {
                totalCount
                nodes {
                  time
                }
              }
            }
          }
          prosody {
            groupedPredictions {
              id
              label
              predictions(last: 1) {
                totalCount
                nodes {
                  time {
                    end
                  }
                }
              }
            }
          }
          burst {
            groupedPredictions {
              id
              label
              predictions(last: 1) {
                totalCount
                nodes {
                  time {
                    end
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppJobContentsQuery, AppJobContentsQueryVariables>;
export const AppFacePageDocument = new TypedDocumentString(`
    query AppFacePage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {
  job(id: $id) {
    predictions {
      predictions {
        file
        models {
          face {
            groupedPredictions {
              id
              predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                nodes {
                  time
                  emotions(top: 8) {
                    name
                    score
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppFacePageQuery, AppFacePageQueryVariables>;
export const AppProsodyPageDocument = new TypedDocumentString(`
    query AppProsodyPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {
  job(id: $id) {
    predictions {
      predictions {
        file
        models {
          prosody {
            groupedPredictions {
              id
              predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                nodes {
                  time {
                    begin
                    end
                  }
                  emotions(top: 8) {
                    name
                    score
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppProsodyPageQuery, AppProsodyPageQueryVariables>;
export const AppBurstPageDocument = new TypedDocumentString(`
    query AppBurstPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {
  job(id: $id) {
    predictions {
      predictions {
        file
        models {
          burst {
            groupedPredictions {
              id
              predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                nodes {
                  time {
                    begin
                    end
                  }
                  emotions(top: 8) {
                    name
                    score
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppBurstPageQuery, AppBurstPageQueryVariables>;
export const AppJobImageFacesDocument = new TypedDocumentString(`
    query AppJobImageFaces($id: ID!) {
  job(id: $id) {
    predictions {
      predictions {
        file
        fileType
        models {
          face {
            groupedPredictions {
              id
              predictions(first: 50) {
                nodes {
                  emotions(top: 3) {
                    name
                    score
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppJobImageFacesQuery, AppJobImageFacesQueryVariables>;
export const AppJobsDocument = new TypedDocumentString(`
    query AppJobs($after: String) {
  jobs(first: 20, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      state {
        __typename
        ... on JobQueued {
          createdAt
        }
        ... on JobInProgress {
          createdAt
        }
        ... on JobCompleted {
          createdAt
        }
        ... on JobFailed {
          createdAt
        }
      }
      request {
        urls
        text
        files {
          filename
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppJobsQuery, AppJobsQueryVariables>;
export const AppJobStatusDocument = new TypedDocumentString(`
    subscription AppJobStatus($id: ID!) {
  jobUpdated(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AppJobStatusSubscription, AppJobStatusSubscriptionVariables>;
export const AppMeasureImagesDocument = new TypedDocumentString(`
    mutation AppMeasureImages($input: MeasureImagesInput!) {
  measureImages(input: $input) {
    __typename
    ... on MeasureSuccess {
      run {
        id
      }
    }
    ... on ValidationError {
      message
      fields {
        field
        message
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AppMeasureImagesMutation, AppMeasureImagesMutationVariables>;
export const AppRunLiveDocument = new TypedDocumentString(`
    subscription AppRunLive($id: ID!) {
  expressionRunUpdated(id: $id) {
    id
    kind
    status
    error
    createdAt
    updatedAt
    request {
      __typename
      ... on AudioMeasurementRequest {
        fileName
        channels
        durationMs
      }
      ... on ImageMeasurementRequest {
        fileNames
      }
    }
    audio {
      channel
      utterances {
        startMs
        endMs
        measurements {
          startMs
          endMs
          emotions {
            name
            score
          }
        }
      }
    }
    images {
      fileName
      faces {
        faceId
        measured
        confidence
        box {
          x
          y
          width
          height
        }
        emotions(top: 3) {
          name
          score
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppRunLiveSubscription, AppRunLiveSubscriptionVariables>;
export const AppRunsDocument = new TypedDocumentString(`
    query AppRuns($after: String) {
  expressionRuns(first: 20, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      kind
      status
      createdAt
      request {
        __typename
        ... on AudioMeasurementRequest {
          fileName
        }
        ... on ImageMeasurementRequest {
          fileNames
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppRunsQuery, AppRunsQueryVariables>;
export const AppRunStatusDocument = new TypedDocumentString(`
    subscription AppRunStatus($id: ID!) {
  expressionRunUpdated(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AppRunStatusSubscription, AppRunStatusSubscriptionVariables>;
export const AppTaskLiveDocument = new TypedDocumentString(`
    subscription AppTaskLive($id: ID!) {
  emotionTaskUpdated(id: $id) {
    id
    status
    createdAt
    updatedAt
    error {
      message
    }
    request {
      fileName
      channelMode
    }
    channels {
      channel
      speechLength
      emotions {
        name
        score
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppTaskLiveSubscription, AppTaskLiveSubscriptionVariables>;
export const AppTasksDocument = new TypedDocumentString(`
    query AppTasks($after: String) {
  emotionTasks(first: 20, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      createdAt
      request {
        fileName
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppTasksQuery, AppTasksQueryVariables>;
export const AppTaskStatusDocument = new TypedDocumentString(`
    subscription AppTaskStatus($id: ID!) {
  emotionTaskUpdated(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AppTaskStatusSubscription, AppTaskStatusSubscriptionVariables>;