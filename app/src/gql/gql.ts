/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AppProbe { __typename }\n": typeof types.AppProbeDocument,
    "\n  mutation AppAnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.AppAnalyzeMediaDocument,
    "\n  subscription AppAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      id\n      status\n      createdAt\n      sides { provider workId }\n      failures { provider stage message }\n      job {\n        id\n        status\n        state {\n          __typename\n          ... on JobQueued { createdAt }\n          ... on JobInProgress { createdAt }\n          ... on JobCompleted { createdAt endedAt }\n          ... on JobFailed { createdAt endedAt message }\n        }\n      }\n      emotionTask { id status createdAt updatedAt error { message } request { fileName } }\n      expressionRun {\n        id\n        status\n        createdAt\n        updatedAt\n        error\n        request { __typename ... on AudioMeasurementRequest { fileName channels durationMs } }\n      }\n      channels {\n        channel\n        emotions { speechLength emotions { name score } }\n        utterances { startMs endMs measurements { startMs endMs emotions { name score } } }\n      }\n    }\n  }\n": typeof types.AppAnalysisLiveDocument,
    "\n  query AppAnalyses($after: String) {\n    mediaAnalyses(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        createdAt\n        sides { provider }\n        emotionTask { request { fileName } }\n        expressionRun { request { __typename ... on AudioMeasurementRequest { fileName } } }\n      }\n    }\n  }\n": typeof types.AppAnalysesDocument,
    "\n  subscription AppAnalysisStatus($id: ID!) { mediaAnalysisUpdated(id: $id) { id status } }\n": typeof types.AppAnalysisStatusDocument,
    "\n  mutation AppStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.AppStartJobDocument,
    "\n  subscription AppJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n      request { urls text files { filename } models { face { fpsPred } prosody { granularity } burst } }\n    }\n  }\n": typeof types.AppJobLiveDocument,
    "\n  query AppJobContents($id: ID!) {\n    job(id: $id) {\n      id\n      predictions {\n        source { __typename ... on UrlSource { url } ... on FileSource { filename } ... on TextSource { type } }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time } } } }\n            prosody { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }\n            burst { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AppJobContentsDocument,
    "\n  query AppFacePage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AppFacePageDocument,
    "\n  query AppProsodyPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            prosody {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time { begin end } emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AppProsodyPageDocument,
    "\n  query AppBurstPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            burst {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time { begin end } emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AppBurstPageDocument,
    "\n  query AppJobImageFaces($id: ID!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          fileType\n          models { face { groupedPredictions { id predictions(first: 50) { nodes { emotions(top: 3) { name score } } } } } }\n        }\n      }\n    }\n  }\n": typeof types.AppJobImageFacesDocument,
    "\n  query AppJobs($after: String) {\n    jobs(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobQueued { createdAt }\n          ... on JobInProgress { createdAt }\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n        request { urls text files { filename } }\n      }\n    }\n  }\n": typeof types.AppJobsDocument,
    "\n  subscription AppJobStatus($id: ID!) { jobUpdated(id: $id) { id status } }\n": typeof types.AppJobStatusDocument,
    "\n  mutation AppMeasureImages($input: MeasureImagesInput!) {\n    measureImages(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.AppMeasureImagesDocument,
    "\n  subscription AppRunLive($id: ID!) {\n    expressionRunUpdated(id: $id) {\n      id\n      kind\n      status\n      error\n      createdAt\n      updatedAt\n      request {\n        __typename\n        ... on AudioMeasurementRequest { fileName channels durationMs }\n        ... on ImageMeasurementRequest { fileNames }\n      }\n      audio { channel utterances { startMs endMs measurements { startMs endMs emotions { name score } } } }\n      images { fileName faces { faceId measured confidence box { x y width height } emotions(top: 3) { name score } } }\n    }\n  }\n": typeof types.AppRunLiveDocument,
    "\n  query AppRuns($after: String) {\n    expressionRuns(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        kind\n        status\n        createdAt\n        request { __typename ... on AudioMeasurementRequest { fileName } ... on ImageMeasurementRequest { fileNames } }\n      }\n    }\n  }\n": typeof types.AppRunsDocument,
    "\n  subscription AppRunStatus($id: ID!) { expressionRunUpdated(id: $id) { id status } }\n": typeof types.AppRunStatusDocument,
    "\n  subscription AppTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) {\n      id\n      status\n      createdAt\n      updatedAt\n      error { message }\n      request { fileName channelMode }\n      channels { channel speechLength emotions { name score } }\n    }\n  }\n": typeof types.AppTaskLiveDocument,
    "\n  query AppTasks($after: String) {\n    emotionTasks(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status createdAt request { fileName } }\n    }\n  }\n": typeof types.AppTasksDocument,
    "\n  subscription AppTaskStatus($id: ID!) { emotionTaskUpdated(id: $id) { id status } }\n": typeof types.AppTaskStatusDocument,
};
const documents: Documents = {
    "\n  query AppProbe { __typename }\n": types.AppProbeDocument,
    "\n  mutation AppAnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": types.AppAnalyzeMediaDocument,
    "\n  subscription AppAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      id\n      status\n      createdAt\n      sides { provider workId }\n      failures { provider stage message }\n      job {\n        id\n        status\n        state {\n          __typename\n          ... on JobQueued { createdAt }\n          ... on JobInProgress { createdAt }\n          ... on JobCompleted { createdAt endedAt }\n          ... on JobFailed { createdAt endedAt message }\n        }\n      }\n      emotionTask { id status createdAt updatedAt error { message } request { fileName } }\n      expressionRun {\n        id\n        status\n        createdAt\n        updatedAt\n        error\n        request { __typename ... on AudioMeasurementRequest { fileName channels durationMs } }\n      }\n      channels {\n        channel\n        emotions { speechLength emotions { name score } }\n        utterances { startMs endMs measurements { startMs endMs emotions { name score } } }\n      }\n    }\n  }\n": types.AppAnalysisLiveDocument,
    "\n  query AppAnalyses($after: String) {\n    mediaAnalyses(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        createdAt\n        sides { provider }\n        emotionTask { request { fileName } }\n        expressionRun { request { __typename ... on AudioMeasurementRequest { fileName } } }\n      }\n    }\n  }\n": types.AppAnalysesDocument,
    "\n  subscription AppAnalysisStatus($id: ID!) { mediaAnalysisUpdated(id: $id) { id status } }\n": types.AppAnalysisStatusDocument,
    "\n  mutation AppStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": types.AppStartJobDocument,
    "\n  subscription AppJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n      request { urls text files { filename } models { face { fpsPred } prosody { granularity } burst } }\n    }\n  }\n": types.AppJobLiveDocument,
    "\n  query AppJobContents($id: ID!) {\n    job(id: $id) {\n      id\n      predictions {\n        source { __typename ... on UrlSource { url } ... on FileSource { filename } ... on TextSource { type } }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time } } } }\n            prosody { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }\n            burst { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }\n          }\n        }\n      }\n    }\n  }\n": types.AppJobContentsDocument,
    "\n  query AppFacePage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.AppFacePageDocument,
    "\n  query AppProsodyPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            prosody {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time { begin end } emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.AppProsodyPageDocument,
    "\n  query AppBurstPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            burst {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time { begin end } emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.AppBurstPageDocument,
    "\n  query AppJobImageFaces($id: ID!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          fileType\n          models { face { groupedPredictions { id predictions(first: 50) { nodes { emotions(top: 3) { name score } } } } } }\n        }\n      }\n    }\n  }\n": types.AppJobImageFacesDocument,
    "\n  query AppJobs($after: String) {\n    jobs(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobQueued { createdAt }\n          ... on JobInProgress { createdAt }\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n        request { urls text files { filename } }\n      }\n    }\n  }\n": types.AppJobsDocument,
    "\n  subscription AppJobStatus($id: ID!) { jobUpdated(id: $id) { id status } }\n": types.AppJobStatusDocument,
    "\n  mutation AppMeasureImages($input: MeasureImagesInput!) {\n    measureImages(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n": types.AppMeasureImagesDocument,
    "\n  subscription AppRunLive($id: ID!) {\n    expressionRunUpdated(id: $id) {\n      id\n      kind\n      status\n      error\n      createdAt\n      updatedAt\n      request {\n        __typename\n        ... on AudioMeasurementRequest { fileName channels durationMs }\n        ... on ImageMeasurementRequest { fileNames }\n      }\n      audio { channel utterances { startMs endMs measurements { startMs endMs emotions { name score } } } }\n      images { fileName faces { faceId measured confidence box { x y width height } emotions(top: 3) { name score } } }\n    }\n  }\n": types.AppRunLiveDocument,
    "\n  query AppRuns($after: String) {\n    expressionRuns(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        kind\n        status\n        createdAt\n        request { __typename ... on AudioMeasurementRequest { fileName } ... on ImageMeasurementRequest { fileNames } }\n      }\n    }\n  }\n": types.AppRunsDocument,
    "\n  subscription AppRunStatus($id: ID!) { expressionRunUpdated(id: $id) { id status } }\n": types.AppRunStatusDocument,
    "\n  subscription AppTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) {\n      id\n      status\n      createdAt\n      updatedAt\n      error { message }\n      request { fileName channelMode }\n      channels { channel speechLength emotions { name score } }\n    }\n  }\n": types.AppTaskLiveDocument,
    "\n  query AppTasks($after: String) {\n    emotionTasks(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status createdAt request { fileName } }\n    }\n  }\n": types.AppTasksDocument,
    "\n  subscription AppTaskStatus($id: ID!) { emotionTaskUpdated(id: $id) { id status } }\n": types.AppTaskStatusDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppProbe { __typename }\n"): typeof import('./graphql.js').AppProbeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppAnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql.js').AppAnalyzeMediaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      id\n      status\n      createdAt\n      sides { provider workId }\n      failures { provider stage message }\n      job {\n        id\n        status\n        state {\n          __typename\n          ... on JobQueued { createdAt }\n          ... on JobInProgress { createdAt }\n          ... on JobCompleted { createdAt endedAt }\n          ... on JobFailed { createdAt endedAt message }\n        }\n      }\n      emotionTask { id status createdAt updatedAt error { message } request { fileName } }\n      expressionRun {\n        id\n        status\n        createdAt\n        updatedAt\n        error\n        request { __typename ... on AudioMeasurementRequest { fileName channels durationMs } }\n      }\n      channels {\n        channel\n        emotions { speechLength emotions { name score } }\n        utterances { startMs endMs measurements { startMs endMs emotions { name score } } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppAnalysisLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppAnalyses($after: String) {\n    mediaAnalyses(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        createdAt\n        sides { provider }\n        emotionTask { request { fileName } }\n        expressionRun { request { __typename ... on AudioMeasurementRequest { fileName } } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppAnalysesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppAnalysisStatus($id: ID!) { mediaAnalysisUpdated(id: $id) { id status } }\n"): typeof import('./graphql.js').AppAnalysisStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql.js').AppStartJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n      request { urls text files { filename } models { face { fpsPred } prosody { granularity } burst } }\n    }\n  }\n"): typeof import('./graphql.js').AppJobLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppJobContents($id: ID!) {\n    job(id: $id) {\n      id\n      predictions {\n        source { __typename ... on UrlSource { url } ... on FileSource { filename } ... on TextSource { type } }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time } } } }\n            prosody { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }\n            burst { groupedPredictions { id label predictions(last: 1) { totalCount nodes { time { end } } } } }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppJobContentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppFacePage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppFacePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppProsodyPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            prosody {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time { begin end } emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppProsodyPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppBurstPage($id: ID!, $from: Float!, $to: Float!, $after: String, $first: Int!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          models {\n            burst {\n              groupedPredictions {\n                id\n                predictions(timeFrom: $from, timeTo: $to, first: $first, after: $after) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { time { begin end } emotions(top: 8) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppBurstPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppJobImageFaces($id: ID!) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          file\n          fileType\n          models { face { groupedPredictions { id predictions(first: 50) { nodes { emotions(top: 3) { name score } } } } } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppJobImageFacesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppJobs($after: String) {\n    jobs(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobQueued { createdAt }\n          ... on JobInProgress { createdAt }\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n        request { urls text files { filename } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppJobStatus($id: ID!) { jobUpdated(id: $id) { id status } }\n"): typeof import('./graphql.js').AppJobStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppMeasureImages($input: MeasureImagesInput!) {\n    measureImages(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id } }\n      ... on ValidationError { message fields { field message } }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql.js').AppMeasureImagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppRunLive($id: ID!) {\n    expressionRunUpdated(id: $id) {\n      id\n      kind\n      status\n      error\n      createdAt\n      updatedAt\n      request {\n        __typename\n        ... on AudioMeasurementRequest { fileName channels durationMs }\n        ... on ImageMeasurementRequest { fileNames }\n      }\n      audio { channel utterances { startMs endMs measurements { startMs endMs emotions { name score } } } }\n      images { fileName faces { faceId measured confidence box { x y width height } emotions(top: 3) { name score } } }\n    }\n  }\n"): typeof import('./graphql.js').AppRunLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppRuns($after: String) {\n    expressionRuns(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        kind\n        status\n        createdAt\n        request { __typename ... on AudioMeasurementRequest { fileName } ... on ImageMeasurementRequest { fileNames } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').AppRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppRunStatus($id: ID!) { expressionRunUpdated(id: $id) { id status } }\n"): typeof import('./graphql.js').AppRunStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) {\n      id\n      status\n      createdAt\n      updatedAt\n      error { message }\n      request { fileName channelMode }\n      channels { channel speechLength emotions { name score } }\n    }\n  }\n"): typeof import('./graphql.js').AppTaskLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppTasks($after: String) {\n    emotionTasks(first: 20, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status createdAt request { fileName } }\n    }\n  }\n"): typeof import('./graphql.js').AppTasksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppTaskStatus($id: ID!) { emotionTaskUpdated(id: $id) { id status } }\n"): typeof import('./graphql.js').AppTaskStatusDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
