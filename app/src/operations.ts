/**
 * Every GraphQL operation the app sends, typed by codegen (`npm run codegen` writes app/src/gql/ from these): a
 * schema change that breaks one fails type checking. A reference for frontend teams: copy what you need.
 */
import { graphql } from './gql/index.js';

/** The cheapest operation: tells whether the gateway takes the caller's token. */
export const Probe = graphql(`
  query AppProbe { __typename }
`);

// ---- analyses ----

export const AnalyzeMedia = graphql(`
  mutation AppAnalyzeMedia($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);

export const AnalysisLive = graphql(`
  subscription AppAnalysisLive($id: ID!) {
    mediaAnalysisUpdated(id: $id) {
      id
      status
      createdAt
      sides { provider workId }
      failures { provider stage message }
      job {
        id
        status
        state {
          __typename
          ... on JobQueued { createdAt }
          ... on JobInProgress { createdAt }
          ... on JobCompleted { createdAt endedAt }
          ... on JobFailed { createdAt endedAt message }
        }
      }
      emotionTask { id status createdAt updatedAt error { message } request { fileName } }
      expressionRun {
        id
        status
        createdAt
        updatedAt
        error
        request { __typename ... on AudioMeasurementRequest { fileName channels durationMs } }
      }
      channels {
        channel
        emotions { speechLength emotions { name score } }
        utterances { startMs endMs measurements { startMs endMs emotions { name score } } }
      }
    }
  }
`);

export const Analyses = graphql(`
  query AppAnalyses($after: String) {
    mediaAnalyses(first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        status
        createdAt
        sides { provider }
        emotionTask { request { fileName } }
        expressionRun { request { __typename ... on AudioMeasurementRequest { fileName } } }
      }
    }
  }
`);

export const AnalysisStatus = graphql(`
  subscription AppAnalysisStatus($id: ID!) { mediaAnalysisUpdated(id: $id) { id status } }
`);

// ---- Hume batch jobs ----

export const StartJob = graphql(`
  mutation AppStartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);

export const JobLive = graphql(`
  subscription AppJobLive($id: ID!) {
    jobUpdated(id: $id) {
      id
      status
      state {
        __typename
        ... on JobQueued { createdAt }
        ... on JobInProgress { createdAt startedAt }
        ... on JobCompleted { createdAt endedAt numPredictions numErrors }
        ... on JobFailed { createdAt endedAt message }
      }
      request { urls text files { filename } models { face { fpsPred } prosody { granularity } burst } }
    }
  }
`);

/** What a completed job holds: per file and model, each group's size and its last time (the media's length). */
export const JobContents = graphql(`
  query AppJobContents($id: ID!) {
    job(id: $id) {
      id
      predictions {
        source { __typename ... on UrlSource { url } ... on FileSource { filename } ... on TextSource { type } }
        error
        errors { file message }
        predictions {
          file
          fileType
          models {
            face { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time } } } }
            prosody { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }
            burst { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }
          }
        }
      }
    }
  }
`);

/** One page of a face group's predictions in a time window: the top emotions of each sampled frame. */
export const FacePage = graphql(`
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
                  pageInfo { hasNextPage endCursor }
                  nodes { time emotions(top: 8) { name score } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const ProsodyPage = graphql(`
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
                  pageInfo { hasNextPage endCursor }
                  nodes { time { begin end } emotions(top: 8) { name score } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const BurstPage = graphql(`
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
                  pageInfo { hasNextPage endCursor }
                  nodes { time { begin end } emotions(top: 8) { name score } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

/** Faces found in the images of a job (few per image: one page each; kept small: it is deep, and cost grows with depth). */
export const JobImageFaces = graphql(`
  query AppJobImageFaces($id: ID!) {
    job(id: $id) {
      predictions {
        predictions {
          file
          fileType
          models { face { groupedPredictions { id predictions(first: 50) { nodes { emotions(top: 3) { name score } } } } } }
        }
      }
    }
  }
`);

export const Jobs = graphql(`
  query AppJobs($after: String) {
    jobs(first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        status
        state {
          __typename
          ... on JobQueued { createdAt }
          ... on JobInProgress { createdAt }
          ... on JobCompleted { createdAt }
          ... on JobFailed { createdAt }
        }
        request { urls text files { filename } }
      }
    }
  }
`);

export const JobStatus = graphql(`
  subscription AppJobStatus($id: ID!) { jobUpdated(id: $id) { id status } }
`);

// ---- Hume expression runs ----

export const MeasureImages = graphql(`
  mutation AppMeasureImages($input: MeasureImagesInput!) {
    measureImages(input: $input) {
      __typename
      ... on MeasureSuccess { run { id } }
      ... on ValidationError { message fields { field message } }
      ... on Error { message }
    }
  }
`);

export const RunLive = graphql(`
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
        ... on AudioMeasurementRequest { fileName channels durationMs }
        ... on ImageMeasurementRequest { fileNames }
      }
      audio { channel utterances { startMs endMs measurements { startMs endMs emotions { name score } } } }
      images { fileName faces { faceId measured confidence box { x y width height } emotions(top: 3) { name score } } }
    }
  }
`);

export const Runs = graphql(`
  query AppRuns($after: String) {
    expressionRuns(first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        kind
        status
        createdAt
        request { __typename ... on AudioMeasurementRequest { fileName } ... on ImageMeasurementRequest { fileNames } }
      }
    }
  }
`);

export const RunStatus = graphql(`
  subscription AppRunStatus($id: ID!) { expressionRunUpdated(id: $id) { id status } }
`);

// ---- Phonexia tasks ----

export const TaskLive = graphql(`
  subscription AppTaskLive($id: ID!) {
    emotionTaskUpdated(id: $id) {
      id
      status
      createdAt
      updatedAt
      error { message }
      request { fileName channelMode }
      channels { channel speechLength emotions { name score } }
    }
  }
`);

export const Tasks = graphql(`
  query AppTasks($after: String) {
    emotionTasks(first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id status createdAt request { fileName } }
    }
  }
`);

export const TaskStatus = graphql(`
  subscription AppTaskStatus($id: ID!) { emotionTaskUpdated(id: $id) { id status } }
`);
