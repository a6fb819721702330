/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  mutation AaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on Error { message }\n    }\n  }\n": typeof types.AaStartTaskDocument,
    "\n  query AaTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n": typeof types.AaTaskDocument,
    "\n  mutation AaAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on Error { message }\n    }\n  }\n": typeof types.AaAnalyzeDocument,
    "\n  query AaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) { id status emotionTask { id status } }\n  }\n": typeof types.AaAnalysisDocument,
    "\n  mutation ArtStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n": typeof types.ArtStartJobDocument,
    "\n  query ArtJob($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) { id status artifactsUrl(expiresInSeconds: $expiresInSeconds) }\n  }\n": typeof types.ArtJobDocument,
    "\n  mutation StartEmotionTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id status } }\n      ... on ValidationError { message fields { field message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n      ... on PayloadTooLargeError { message provider maxBytes }\n    }\n  }\n": typeof types.StartEmotionTaskDocument,
    "\n  query EmotionTask($id: ID!) {\n    emotionTask(id: $id) {\n      id\n      status\n      resultExpired\n      createdAt\n      updatedAt\n      channels { channel speechLength emotions { name score } top: emotions(top: 1) { name score } dominantEmotion { name score } }\n      error { type message details { location message type } }\n      request { fileName fileSize contentType channelMode channels rangeFrom rangeTo maxSpeechLength }\n    }\n  }\n": typeof types.EmotionTaskDocument,
    "\n  mutation FederationStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n": typeof types.FederationStartJobDocument,
    "\n  mutation FederationStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": typeof types.FederationStartTaskDocument,
    "\n  mutation ErrStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n": typeof types.ErrStartJobDocument,
    "\n  mutation ErrStartJobId($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n": typeof types.ErrStartJobIdDocument,
    "\n  query ErrJob($id: ID!) {\n    job(id: $id) { id status request { urls } }\n  }\n": typeof types.ErrJobDocument,
    "\n  query ErrJobPredictions($id: ID!) {\n    job(id: $id) { id status predictions { source { __typename } } }\n  }\n": typeof types.ErrJobPredictionsDocument,
    "\n  mutation StartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n": typeof types.StartJobDocument,
    "\n  query JobStatus($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt startedAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n    }\n  }\n": typeof types.JobStatusDocument,
    "\n  query JobRequest($id: ID!) {\n    job(id: $id) {\n      request {\n        urls\n        text\n        notify\n        callbackEnabled\n        transcriptionEnabled\n        transcription { language identifySpeakers confidenceThreshold }\n        files { filename md5sum contentType }\n        models {\n          face { fpsPred probThreshold identifyFaces minFaceSize facs descriptions saveFaces }\n          burst\n          prosody { granularity identifySpeakers window { length step } }\n          language { granularity sentiment toxicity identifySpeakers }\n          ner { identifySpeakers }\n          facemesh\n        }\n      }\n    }\n  }\n": typeof types.JobRequestDocument,
    "\n  query AllPredictions($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        source {\n          __typename\n          ... on UrlSource { url }\n          ... on FileSource { md5sum filename contentType }\n        }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: 2) {\n                  totalCount\n                  nodes { frame time prob box { x y w h } emotions { name score } facs { name } descriptions { name } top: emotions(top: 3) { name score } }\n                }\n              }\n            }\n            burst { groupedPredictions { id predictions(first: 1) { nodes { time { begin end } emotions { name } descriptions { name } } } } }\n            prosody {\n              metadata { confidence detectedLanguage }\n              groupedPredictions { id predictions(first: 1) { nodes { text time { begin end } confidence speakerConfidence emotions { name } } } }\n            }\n            language {\n              metadata { confidence }\n              groupedPredictions {\n                id\n                predictions(first: 1) { nodes { text position { begin end } time { begin end } emotions { name } sentiment { name score } toxicity { name score } } }\n              }\n            }\n            ner { groupedPredictions { id predictions(first: 1) { nodes { entity uri linkWord support entityConfidence position { begin end } emotions { name } } } } }\n            facemesh { groupedPredictions { id predictions(first: 1) { nodes { emotions { name } } } } }\n          }\n        }\n      }\n    }\n  }\n": typeof types.AllPredictionsDocument,
    "\n  mutation PageStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n": typeof types.PageStartJobDocument,
    "\n  query PageJobs($first: Int, $after: String, $filter: JobFilter) {\n    jobs(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id } }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.PageJobsDocument,
    "\n  query FacePage($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { frame time }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.FacePageDocument,
    "\n  query LongVideo($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        error\n        errors { message }\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                start: predictions(first: 10) {\n                  totalCount\n                  pageInfo { hasNextPage }\n                  nodes { frame time emotions { name score } }\n                }\n                end: predictions(first: 10, timeFrom: 10799) {\n                  totalCount\n                  nodes { frame time emotions(top: 3) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.LongVideoDocument,
    "\n  query LoadSameJob($id: ID!) {\n    a: job(id: $id) { id status state { __typename } request { urls } }\n    b: job(id: $id) {\n      status\n      state { __typename ... on JobInProgress { createdAt startedAt } }\n      request { models { face { fpsPred } } }\n    }\n    c: job(id: $id) { request { text } predictions { error } artifactsUrl }\n    jobs(first: 10) { nodes { id status state { __typename } } }\n  }\n": typeof types.LoadSameJobDocument,
    "\n  query LoadPredictionsTwice($id: ID!) {\n    a: job(id: $id) { status predictions { source { __typename } } }\n    b: job(id: $id) { predictions { error errors { file } } }\n    c: job(id: $id) {\n      first: predictions { predictions { models { language { groupedPredictions { id predictions(first: 1) { totalCount } } } } } }\n      second: predictions { predictions { file } }\n    }\n  }\n": typeof types.LoadPredictionsTwiceDocument,
    "\n  query LoadTwoJobs($x: ID!, $y: ID!) {\n    x1: job(id: $x) { id status predictions { error } }\n    y1: job(id: $y) { id status predictions { error } }\n    x2: job(id: $x) { state { __typename } predictions { source { __typename } } }\n    y2: job(id: $y) { state { __typename } predictions { source { __typename } } }\n  }\n": typeof types.LoadTwoJobsDocument,
    "\n  query LoadStatus($id: ID!) {\n    job(id: $id) { id status }\n  }\n": typeof types.LoadStatusDocument,
    "\n  query LoadList {\n    jobs(first: 100) { nodes { id status } }\n  }\n": typeof types.LoadListDocument,
    "\n  mutation AnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id status job { id } emotionTask { id } failures { provider stage status code message } } }\n      ... on ValidationError { fields { field message } }\n    }\n  }\n": typeof types.AnalyzeMediaDocument,
    "\n  query MediaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) {\n      id\n      status\n      failures { provider stage status code message }\n      job { id status request { models { prosody { granularity } burst face { fpsPred } } files { md5sum filename } } }\n      emotionTask { id status request { channelMode } channels { channel emotions { name score } } }\n    }\n  }\n": typeof types.MediaAnalysisDocument,
    "\n  mutation OpsStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n": typeof types.OpsStartJobDocument,
    "\n  mutation OpsStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": typeof types.OpsStartTaskDocument,
    "\n  mutation RlStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n": typeof types.RlStartTaskDocument,
    "\n  query RlTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n": typeof types.RlTaskDocument,
    "\n  subscription RlTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) { status }\n  }\n": typeof types.RlTaskLiveDocument,
    "\n  mutation RlStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n": typeof types.RlStartJobDocument,
    "\n  query RlJob($id: ID!) {\n    job(id: $id) { id status }\n  }\n": typeof types.RlJobDocument,
    "\n  subscription RlJobLive($id: ID!) {\n    jobUpdated(id: $id) { status }\n  }\n": typeof types.RlJobLiveDocument,
    "\n  mutation RlMeasure($input: MeasureAudioInput!) {\n    measureAudio(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id status } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n": typeof types.RlMeasureDocument,
    "\n  query RlRun($id: ID!) {\n    expressionRun(id: $id) { id status }\n  }\n": typeof types.RlRunDocument,
    "\n  mutation ReplicaStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n": typeof types.ReplicaStartJobDocument,
    "\n  subscription ReplicaJobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } }\n  }\n": typeof types.ReplicaJobUpdatedDocument,
    "\n  mutation ReplicaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } }\n  }\n": typeof types.ReplicaStartTaskDocument,
    "\n  subscription ReplicaTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n": typeof types.ReplicaTaskUpdatedDocument,
    "\n  mutation SandboxTextJob {\n    startJob(input: { text: [\"I love this. Paris is lovely in spring.\"], models: { language: { sentiment: true } } }) {\n      __typename\n      ... on StartJobSuccess { job { id request { callbackEnabled } } }\n    }\n  }\n": typeof types.SandboxTextJobDocument,
    "\n  subscription SandboxJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      status\n      predictions { predictions { models { language { groupedPredictions { predictions(first: 3) { nodes { text emotions(top: 1) { name } sentiment { name } } } } } } } }\n    }\n  }\n": typeof types.SandboxJobLiveDocument,
    "\n  mutation SandboxAnalyze {\n    analyzeMedia(input: { file: \"sample:stereo-call.wav\", models: { burst: true } }) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n    }\n  }\n": typeof types.SandboxAnalyzeDocument,
    "\n  subscription SandboxAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      status\n      job { status request { files { filename } } }\n      emotionTask { status request { fileName } channels { channel dominantEmotion { name } } }\n    }\n  }\n": typeof types.SandboxAnalysisLiveDocument,
    "\n  mutation LiveStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n": typeof types.LiveStartJobDocument,
    "\n  subscription JobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } state { __typename } }\n  }\n": typeof types.JobUpdatedDocument,
    "\n  mutation LiveStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": typeof types.LiveStartTaskDocument,
    "\n  subscription EmotionTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n": typeof types.EmotionTaskUpdatedDocument,
    "\n  mutation LiveAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) { __typename ... on AnalyzeMediaSuccess { analysis { id } } }\n  }\n": typeof types.LiveAnalyzeDocument,
    "\n  subscription MediaAnalysisUpdated($id: ID!) {\n    mediaAnalysisUpdated(id: $id) { id status job { status } emotionTask { status } }\n  }\n": typeof types.MediaAnalysisUpdatedDocument,
    "\n  mutation StartTrackedTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": typeof types.StartTrackedTaskDocument,
};
const documents: Documents = {
    "\n  mutation AaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on Error { message }\n    }\n  }\n": types.AaStartTaskDocument,
    "\n  query AaTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n": types.AaTaskDocument,
    "\n  mutation AaAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on Error { message }\n    }\n  }\n": types.AaAnalyzeDocument,
    "\n  query AaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) { id status emotionTask { id status } }\n  }\n": types.AaAnalysisDocument,
    "\n  mutation ArtStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n": types.ArtStartJobDocument,
    "\n  query ArtJob($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) { id status artifactsUrl(expiresInSeconds: $expiresInSeconds) }\n  }\n": types.ArtJobDocument,
    "\n  mutation StartEmotionTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id status } }\n      ... on ValidationError { message fields { field message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n      ... on PayloadTooLargeError { message provider maxBytes }\n    }\n  }\n": types.StartEmotionTaskDocument,
    "\n  query EmotionTask($id: ID!) {\n    emotionTask(id: $id) {\n      id\n      status\n      resultExpired\n      createdAt\n      updatedAt\n      channels { channel speechLength emotions { name score } top: emotions(top: 1) { name score } dominantEmotion { name score } }\n      error { type message details { location message type } }\n      request { fileName fileSize contentType channelMode channels rangeFrom rangeTo maxSpeechLength }\n    }\n  }\n": types.EmotionTaskDocument,
    "\n  mutation FederationStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n": types.FederationStartJobDocument,
    "\n  mutation FederationStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": types.FederationStartTaskDocument,
    "\n  mutation ErrStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n": types.ErrStartJobDocument,
    "\n  mutation ErrStartJobId($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n": types.ErrStartJobIdDocument,
    "\n  query ErrJob($id: ID!) {\n    job(id: $id) { id status request { urls } }\n  }\n": types.ErrJobDocument,
    "\n  query ErrJobPredictions($id: ID!) {\n    job(id: $id) { id status predictions { source { __typename } } }\n  }\n": types.ErrJobPredictionsDocument,
    "\n  mutation StartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n": types.StartJobDocument,
    "\n  query JobStatus($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt startedAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n    }\n  }\n": types.JobStatusDocument,
    "\n  query JobRequest($id: ID!) {\n    job(id: $id) {\n      request {\n        urls\n        text\n        notify\n        callbackEnabled\n        transcriptionEnabled\n        transcription { language identifySpeakers confidenceThreshold }\n        files { filename md5sum contentType }\n        models {\n          face { fpsPred probThreshold identifyFaces minFaceSize facs descriptions saveFaces }\n          burst\n          prosody { granularity identifySpeakers window { length step } }\n          language { granularity sentiment toxicity identifySpeakers }\n          ner { identifySpeakers }\n          facemesh\n        }\n      }\n    }\n  }\n": types.JobRequestDocument,
    "\n  query AllPredictions($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        source {\n          __typename\n          ... on UrlSource { url }\n          ... on FileSource { md5sum filename contentType }\n        }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: 2) {\n                  totalCount\n                  nodes { frame time prob box { x y w h } emotions { name score } facs { name } descriptions { name } top: emotions(top: 3) { name score } }\n                }\n              }\n            }\n            burst { groupedPredictions { id predictions(first: 1) { nodes { time { begin end } emotions { name } descriptions { name } } } } }\n            prosody {\n              metadata { confidence detectedLanguage }\n              groupedPredictions { id predictions(first: 1) { nodes { text time { begin end } confidence speakerConfidence emotions { name } } } }\n            }\n            language {\n              metadata { confidence }\n              groupedPredictions {\n                id\n                predictions(first: 1) { nodes { text position { begin end } time { begin end } emotions { name } sentiment { name score } toxicity { name score } } }\n              }\n            }\n            ner { groupedPredictions { id predictions(first: 1) { nodes { entity uri linkWord support entityConfidence position { begin end } emotions { name } } } } }\n            facemesh { groupedPredictions { id predictions(first: 1) { nodes { emotions { name } } } } }\n          }\n        }\n      }\n    }\n  }\n": types.AllPredictionsDocument,
    "\n  mutation PageStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n": types.PageStartJobDocument,
    "\n  query PageJobs($first: Int, $after: String, $filter: JobFilter) {\n    jobs(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id } }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.PageJobsDocument,
    "\n  query FacePage($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { frame time }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.FacePageDocument,
    "\n  query LongVideo($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        error\n        errors { message }\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                start: predictions(first: 10) {\n                  totalCount\n                  pageInfo { hasNextPage }\n                  nodes { frame time emotions { name score } }\n                }\n                end: predictions(first: 10, timeFrom: 10799) {\n                  totalCount\n                  nodes { frame time emotions(top: 3) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.LongVideoDocument,
    "\n  query LoadSameJob($id: ID!) {\n    a: job(id: $id) { id status state { __typename } request { urls } }\n    b: job(id: $id) {\n      status\n      state { __typename ... on JobInProgress { createdAt startedAt } }\n      request { models { face { fpsPred } } }\n    }\n    c: job(id: $id) { request { text } predictions { error } artifactsUrl }\n    jobs(first: 10) { nodes { id status state { __typename } } }\n  }\n": types.LoadSameJobDocument,
    "\n  query LoadPredictionsTwice($id: ID!) {\n    a: job(id: $id) { status predictions { source { __typename } } }\n    b: job(id: $id) { predictions { error errors { file } } }\n    c: job(id: $id) {\n      first: predictions { predictions { models { language { groupedPredictions { id predictions(first: 1) { totalCount } } } } } }\n      second: predictions { predictions { file } }\n    }\n  }\n": types.LoadPredictionsTwiceDocument,
    "\n  query LoadTwoJobs($x: ID!, $y: ID!) {\n    x1: job(id: $x) { id status predictions { error } }\n    y1: job(id: $y) { id status predictions { error } }\n    x2: job(id: $x) { state { __typename } predictions { source { __typename } } }\n    y2: job(id: $y) { state { __typename } predictions { source { __typename } } }\n  }\n": types.LoadTwoJobsDocument,
    "\n  query LoadStatus($id: ID!) {\n    job(id: $id) { id status }\n  }\n": types.LoadStatusDocument,
    "\n  query LoadList {\n    jobs(first: 100) { nodes { id status } }\n  }\n": types.LoadListDocument,
    "\n  mutation AnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id status job { id } emotionTask { id } failures { provider stage status code message } } }\n      ... on ValidationError { fields { field message } }\n    }\n  }\n": types.AnalyzeMediaDocument,
    "\n  query MediaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) {\n      id\n      status\n      failures { provider stage status code message }\n      job { id status request { models { prosody { granularity } burst face { fpsPred } } files { md5sum filename } } }\n      emotionTask { id status request { channelMode } channels { channel emotions { name score } } }\n    }\n  }\n": types.MediaAnalysisDocument,
    "\n  mutation OpsStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n": types.OpsStartJobDocument,
    "\n  mutation OpsStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": types.OpsStartTaskDocument,
    "\n  mutation RlStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n": types.RlStartTaskDocument,
    "\n  query RlTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n": types.RlTaskDocument,
    "\n  subscription RlTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) { status }\n  }\n": types.RlTaskLiveDocument,
    "\n  mutation RlStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n": types.RlStartJobDocument,
    "\n  query RlJob($id: ID!) {\n    job(id: $id) { id status }\n  }\n": types.RlJobDocument,
    "\n  subscription RlJobLive($id: ID!) {\n    jobUpdated(id: $id) { status }\n  }\n": types.RlJobLiveDocument,
    "\n  mutation RlMeasure($input: MeasureAudioInput!) {\n    measureAudio(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id status } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n": types.RlMeasureDocument,
    "\n  query RlRun($id: ID!) {\n    expressionRun(id: $id) { id status }\n  }\n": types.RlRunDocument,
    "\n  mutation ReplicaStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n": types.ReplicaStartJobDocument,
    "\n  subscription ReplicaJobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } }\n  }\n": types.ReplicaJobUpdatedDocument,
    "\n  mutation ReplicaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } }\n  }\n": types.ReplicaStartTaskDocument,
    "\n  subscription ReplicaTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n": types.ReplicaTaskUpdatedDocument,
    "\n  mutation SandboxTextJob {\n    startJob(input: { text: [\"I love this. Paris is lovely in spring.\"], models: { language: { sentiment: true } } }) {\n      __typename\n      ... on StartJobSuccess { job { id request { callbackEnabled } } }\n    }\n  }\n": types.SandboxTextJobDocument,
    "\n  subscription SandboxJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      status\n      predictions { predictions { models { language { groupedPredictions { predictions(first: 3) { nodes { text emotions(top: 1) { name } sentiment { name } } } } } } } }\n    }\n  }\n": types.SandboxJobLiveDocument,
    "\n  mutation SandboxAnalyze {\n    analyzeMedia(input: { file: \"sample:stereo-call.wav\", models: { burst: true } }) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n    }\n  }\n": types.SandboxAnalyzeDocument,
    "\n  subscription SandboxAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      status\n      job { status request { files { filename } } }\n      emotionTask { status request { fileName } channels { channel dominantEmotion { name } } }\n    }\n  }\n": types.SandboxAnalysisLiveDocument,
    "\n  mutation LiveStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n": types.LiveStartJobDocument,
    "\n  subscription JobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } state { __typename } }\n  }\n": types.JobUpdatedDocument,
    "\n  mutation LiveStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": types.LiveStartTaskDocument,
    "\n  subscription EmotionTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n": types.EmotionTaskUpdatedDocument,
    "\n  mutation LiveAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) { __typename ... on AnalyzeMediaSuccess { analysis { id } } }\n  }\n": types.LiveAnalyzeDocument,
    "\n  subscription MediaAnalysisUpdated($id: ID!) {\n    mediaAnalysisUpdated(id: $id) { id status job { status } emotionTask { status } }\n  }\n": types.MediaAnalysisUpdatedDocument,
    "\n  mutation StartTrackedTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n": types.StartTrackedTaskDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation AaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AaTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n"): (typeof documents)["\n  query AaTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AaAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation AaAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) { id status emotionTask { id status } }\n  }\n"): (typeof documents)["\n  query AaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) { id status emotionTask { id status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ArtStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation ArtStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArtJob($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) { id status artifactsUrl(expiresInSeconds: $expiresInSeconds) }\n  }\n"): (typeof documents)["\n  query ArtJob($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) { id status artifactsUrl(expiresInSeconds: $expiresInSeconds) }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartEmotionTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id status } }\n      ... on ValidationError { message fields { field message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n      ... on PayloadTooLargeError { message provider maxBytes }\n    }\n  }\n"): (typeof documents)["\n  mutation StartEmotionTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id status } }\n      ... on ValidationError { message fields { field message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n      ... on PayloadTooLargeError { message provider maxBytes }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EmotionTask($id: ID!) {\n    emotionTask(id: $id) {\n      id\n      status\n      resultExpired\n      createdAt\n      updatedAt\n      channels { channel speechLength emotions { name score } top: emotions(top: 1) { name score } dominantEmotion { name score } }\n      error { type message details { location message type } }\n      request { fileName fileSize contentType channelMode channels rangeFrom rangeTo maxSpeechLength }\n    }\n  }\n"): (typeof documents)["\n  query EmotionTask($id: ID!) {\n    emotionTask(id: $id) {\n      id\n      status\n      resultExpired\n      createdAt\n      updatedAt\n      channels { channel speechLength emotions { name score } top: emotions(top: 1) { name score } dominantEmotion { name score } }\n      error { type message details { location message type } }\n      request { fileName fileSize contentType channelMode channels rangeFrom rangeTo maxSpeechLength }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FederationStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n"): (typeof documents)["\n  mutation FederationStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FederationStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"): (typeof documents)["\n  mutation FederationStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ErrStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n"): (typeof documents)["\n  mutation ErrStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ErrStartJobId($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation ErrStartJobId($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrJob($id: ID!) {\n    job(id: $id) { id status request { urls } }\n  }\n"): (typeof documents)["\n  query ErrJob($id: ID!) {\n    job(id: $id) { id status request { urls } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErrJobPredictions($id: ID!) {\n    job(id: $id) { id status predictions { source { __typename } } }\n  }\n"): (typeof documents)["\n  query ErrJobPredictions($id: ID!) {\n    job(id: $id) { id status predictions { source { __typename } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n"): (typeof documents)["\n  mutation StartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id status } }\n      ... on ValidationError { message fields { field path message } }\n      ... on ProviderError { message provider status code retryable }\n      ... on RateLimitedError { message provider retryAfterSeconds }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobStatus($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt startedAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobStatus($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      state {\n        __typename\n        ... on JobQueued { createdAt }\n        ... on JobInProgress { createdAt startedAt }\n        ... on JobCompleted { createdAt startedAt endedAt numPredictions numErrors }\n        ... on JobFailed { createdAt endedAt message }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobRequest($id: ID!) {\n    job(id: $id) {\n      request {\n        urls\n        text\n        notify\n        callbackEnabled\n        transcriptionEnabled\n        transcription { language identifySpeakers confidenceThreshold }\n        files { filename md5sum contentType }\n        models {\n          face { fpsPred probThreshold identifyFaces minFaceSize facs descriptions saveFaces }\n          burst\n          prosody { granularity identifySpeakers window { length step } }\n          language { granularity sentiment toxicity identifySpeakers }\n          ner { identifySpeakers }\n          facemesh\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobRequest($id: ID!) {\n    job(id: $id) {\n      request {\n        urls\n        text\n        notify\n        callbackEnabled\n        transcriptionEnabled\n        transcription { language identifySpeakers confidenceThreshold }\n        files { filename md5sum contentType }\n        models {\n          face { fpsPred probThreshold identifyFaces minFaceSize facs descriptions saveFaces }\n          burst\n          prosody { granularity identifySpeakers window { length step } }\n          language { granularity sentiment toxicity identifySpeakers }\n          ner { identifySpeakers }\n          facemesh\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AllPredictions($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        source {\n          __typename\n          ... on UrlSource { url }\n          ... on FileSource { md5sum filename contentType }\n        }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: 2) {\n                  totalCount\n                  nodes { frame time prob box { x y w h } emotions { name score } facs { name } descriptions { name } top: emotions(top: 3) { name score } }\n                }\n              }\n            }\n            burst { groupedPredictions { id predictions(first: 1) { nodes { time { begin end } emotions { name } descriptions { name } } } } }\n            prosody {\n              metadata { confidence detectedLanguage }\n              groupedPredictions { id predictions(first: 1) { nodes { text time { begin end } confidence speakerConfidence emotions { name } } } }\n            }\n            language {\n              metadata { confidence }\n              groupedPredictions {\n                id\n                predictions(first: 1) { nodes { text position { begin end } time { begin end } emotions { name } sentiment { name score } toxicity { name score } } }\n              }\n            }\n            ner { groupedPredictions { id predictions(first: 1) { nodes { entity uri linkWord support entityConfidence position { begin end } emotions { name } } } } }\n            facemesh { groupedPredictions { id predictions(first: 1) { nodes { emotions { name } } } } }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AllPredictions($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        source {\n          __typename\n          ... on UrlSource { url }\n          ... on FileSource { md5sum filename contentType }\n        }\n        error\n        errors { file message }\n        predictions {\n          file\n          fileType\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: 2) {\n                  totalCount\n                  nodes { frame time prob box { x y w h } emotions { name score } facs { name } descriptions { name } top: emotions(top: 3) { name score } }\n                }\n              }\n            }\n            burst { groupedPredictions { id predictions(first: 1) { nodes { time { begin end } emotions { name } descriptions { name } } } } }\n            prosody {\n              metadata { confidence detectedLanguage }\n              groupedPredictions { id predictions(first: 1) { nodes { text time { begin end } confidence speakerConfidence emotions { name } } } }\n            }\n            language {\n              metadata { confidence }\n              groupedPredictions {\n                id\n                predictions(first: 1) { nodes { text position { begin end } time { begin end } emotions { name } sentiment { name score } toxicity { name score } } }\n              }\n            }\n            ner { groupedPredictions { id predictions(first: 1) { nodes { entity uri linkWord support entityConfidence position { begin end } emotions { name } } } } }\n            facemesh { groupedPredictions { id predictions(first: 1) { nodes { emotions { name } } } } }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PageStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation PageStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PageJobs($first: Int, $after: String, $filter: JobFilter) {\n    jobs(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id } }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query PageJobs($first: Int, $after: String, $filter: JobFilter) {\n    jobs(first: $first, after: $after, filter: $filter) {\n      edges { cursor node { id } }\n      nodes {\n        id\n        status\n        state {\n          __typename\n          ... on JobCompleted { createdAt }\n          ... on JobFailed { createdAt }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FacePage($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { frame time }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FacePage($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {\n    job(id: $id) {\n      predictions {\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                id\n                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {\n                  totalCount\n                  pageInfo { hasNextPage endCursor }\n                  nodes { frame time }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LongVideo($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        error\n        errors { message }\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                start: predictions(first: 10) {\n                  totalCount\n                  pageInfo { hasNextPage }\n                  nodes { frame time emotions { name score } }\n                }\n                end: predictions(first: 10, timeFrom: 10799) {\n                  totalCount\n                  nodes { frame time emotions(top: 3) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LongVideo($id: ID!) {\n    job(id: $id) {\n      status\n      predictions {\n        error\n        errors { message }\n        predictions {\n          models {\n            face {\n              groupedPredictions {\n                start: predictions(first: 10) {\n                  totalCount\n                  pageInfo { hasNextPage }\n                  nodes { frame time emotions { name score } }\n                }\n                end: predictions(first: 10, timeFrom: 10799) {\n                  totalCount\n                  nodes { frame time emotions(top: 3) { name score } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoadSameJob($id: ID!) {\n    a: job(id: $id) { id status state { __typename } request { urls } }\n    b: job(id: $id) {\n      status\n      state { __typename ... on JobInProgress { createdAt startedAt } }\n      request { models { face { fpsPred } } }\n    }\n    c: job(id: $id) { request { text } predictions { error } artifactsUrl }\n    jobs(first: 10) { nodes { id status state { __typename } } }\n  }\n"): (typeof documents)["\n  query LoadSameJob($id: ID!) {\n    a: job(id: $id) { id status state { __typename } request { urls } }\n    b: job(id: $id) {\n      status\n      state { __typename ... on JobInProgress { createdAt startedAt } }\n      request { models { face { fpsPred } } }\n    }\n    c: job(id: $id) { request { text } predictions { error } artifactsUrl }\n    jobs(first: 10) { nodes { id status state { __typename } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoadPredictionsTwice($id: ID!) {\n    a: job(id: $id) { status predictions { source { __typename } } }\n    b: job(id: $id) { predictions { error errors { file } } }\n    c: job(id: $id) {\n      first: predictions { predictions { models { language { groupedPredictions { id predictions(first: 1) { totalCount } } } } } }\n      second: predictions { predictions { file } }\n    }\n  }\n"): (typeof documents)["\n  query LoadPredictionsTwice($id: ID!) {\n    a: job(id: $id) { status predictions { source { __typename } } }\n    b: job(id: $id) { predictions { error errors { file } } }\n    c: job(id: $id) {\n      first: predictions { predictions { models { language { groupedPredictions { id predictions(first: 1) { totalCount } } } } } }\n      second: predictions { predictions { file } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoadTwoJobs($x: ID!, $y: ID!) {\n    x1: job(id: $x) { id status predictions { error } }\n    y1: job(id: $y) { id status predictions { error } }\n    x2: job(id: $x) { state { __typename } predictions { source { __typename } } }\n    y2: job(id: $y) { state { __typename } predictions { source { __typename } } }\n  }\n"): (typeof documents)["\n  query LoadTwoJobs($x: ID!, $y: ID!) {\n    x1: job(id: $x) { id status predictions { error } }\n    y1: job(id: $y) { id status predictions { error } }\n    x2: job(id: $x) { state { __typename } predictions { source { __typename } } }\n    y2: job(id: $y) { state { __typename } predictions { source { __typename } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoadStatus($id: ID!) {\n    job(id: $id) { id status }\n  }\n"): (typeof documents)["\n  query LoadStatus($id: ID!) {\n    job(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoadList {\n    jobs(first: 100) { nodes { id status } }\n  }\n"): (typeof documents)["\n  query LoadList {\n    jobs(first: 100) { nodes { id status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id status job { id } emotionTask { id } failures { provider stage status code message } } }\n      ... on ValidationError { fields { field message } }\n    }\n  }\n"): (typeof documents)["\n  mutation AnalyzeMedia($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id status job { id } emotionTask { id } failures { provider stage status code message } } }\n      ... on ValidationError { fields { field message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MediaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) {\n      id\n      status\n      failures { provider stage status code message }\n      job { id status request { models { prosody { granularity } burst face { fpsPred } } files { md5sum filename } } }\n      emotionTask { id status request { channelMode } channels { channel emotions { name score } } }\n    }\n  }\n"): (typeof documents)["\n  query MediaAnalysis($id: ID!) {\n    mediaAnalysis(id: $id) {\n      id\n      status\n      failures { provider stage status code message }\n      job { id status request { models { prosody { granularity } burst face { fpsPred } } files { md5sum filename } } }\n      emotionTask { id status request { channelMode } channels { channel emotions { name score } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpsStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation OpsStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpsStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"): (typeof documents)["\n  mutation OpsStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RlStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n"): (typeof documents)["\n  mutation RlStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) {\n      __typename\n      ... on StartEmotionTaskSuccess { task { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RlTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n"): (typeof documents)["\n  query RlTask($id: ID!) {\n    emotionTask(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RlTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) { status }\n  }\n"): (typeof documents)["\n  subscription RlTaskLive($id: ID!) {\n    emotionTaskUpdated(id: $id) { status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RlStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n"): (typeof documents)["\n  mutation RlStartJob($input: StartJobInput!) {\n    startJob(input: $input) {\n      __typename\n      ... on StartJobSuccess { job { id } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RlJob($id: ID!) {\n    job(id: $id) { id status }\n  }\n"): (typeof documents)["\n  query RlJob($id: ID!) {\n    job(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RlJobLive($id: ID!) {\n    jobUpdated(id: $id) { status }\n  }\n"): (typeof documents)["\n  subscription RlJobLive($id: ID!) {\n    jobUpdated(id: $id) { status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RlMeasure($input: MeasureAudioInput!) {\n    measureAudio(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id status } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n"): (typeof documents)["\n  mutation RlMeasure($input: MeasureAudioInput!) {\n    measureAudio(input: $input) {\n      __typename\n      ... on MeasureSuccess { run { id status } }\n      ... on RateLimitedError { provider retryAfterSeconds }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RlRun($id: ID!) {\n    expressionRun(id: $id) { id status }\n  }\n"): (typeof documents)["\n  query RlRun($id: ID!) {\n    expressionRun(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplicaStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation ReplicaStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReplicaJobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } }\n  }\n"): (typeof documents)["\n  subscription ReplicaJobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplicaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation ReplicaStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReplicaTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n"): (typeof documents)["\n  subscription ReplicaTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SandboxTextJob {\n    startJob(input: { text: [\"I love this. Paris is lovely in spring.\"], models: { language: { sentiment: true } } }) {\n      __typename\n      ... on StartJobSuccess { job { id request { callbackEnabled } } }\n    }\n  }\n"): (typeof documents)["\n  mutation SandboxTextJob {\n    startJob(input: { text: [\"I love this. Paris is lovely in spring.\"], models: { language: { sentiment: true } } }) {\n      __typename\n      ... on StartJobSuccess { job { id request { callbackEnabled } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SandboxJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      status\n      predictions { predictions { models { language { groupedPredictions { predictions(first: 3) { nodes { text emotions(top: 1) { name } sentiment { name } } } } } } } }\n    }\n  }\n"): (typeof documents)["\n  subscription SandboxJobLive($id: ID!) {\n    jobUpdated(id: $id) {\n      status\n      predictions { predictions { models { language { groupedPredictions { predictions(first: 3) { nodes { text emotions(top: 1) { name } sentiment { name } } } } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SandboxAnalyze {\n    analyzeMedia(input: { file: \"sample:stereo-call.wav\", models: { burst: true } }) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation SandboxAnalyze {\n    analyzeMedia(input: { file: \"sample:stereo-call.wav\", models: { burst: true } }) {\n      __typename\n      ... on AnalyzeMediaSuccess { analysis { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SandboxAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      status\n      job { status request { files { filename } } }\n      emotionTask { status request { fileName } channels { channel dominantEmotion { name } } }\n    }\n  }\n"): (typeof documents)["\n  subscription SandboxAnalysisLive($id: ID!) {\n    mediaAnalysisUpdated(id: $id) {\n      status\n      job { status request { files { filename } } }\n      emotionTask { status request { fileName } channels { channel dominantEmotion { name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n"): (typeof documents)["\n  mutation LiveStartJob($input: StartJobInput!) {\n    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } state { __typename } }\n  }\n"): (typeof documents)["\n  subscription JobUpdated($id: ID!) {\n    jobUpdated(id: $id) { id status request { callbackEnabled } state { __typename } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"): (typeof documents)["\n  mutation LiveStartTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EmotionTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n"): (typeof documents)["\n  subscription EmotionTaskUpdated($id: ID!) {\n    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) { __typename ... on AnalyzeMediaSuccess { analysis { id } } }\n  }\n"): (typeof documents)["\n  mutation LiveAnalyze($input: AnalyzeMediaInput!) {\n    analyzeMedia(input: $input) { __typename ... on AnalyzeMediaSuccess { analysis { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MediaAnalysisUpdated($id: ID!) {\n    mediaAnalysisUpdated(id: $id) { id status job { status } emotionTask { status } }\n  }\n"): (typeof documents)["\n  subscription MediaAnalysisUpdated($id: ID!) {\n    mediaAnalysisUpdated(id: $id) { id status job { status } emotionTask { status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTrackedTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"): (typeof documents)["\n  mutation StartTrackedTask($input: StartEmotionTaskInput!) {\n    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;