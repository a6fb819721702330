
      export interface PossibleTypesResultData {
        possibleTypes: {
          [key: string]: string[]
        }
      }
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AnalyzeMediaResult": [
      "AnalyzeMediaSuccess",
      "ProviderError",
      "RateLimitedError",
      "StartLimitError",
      "ValidationError"
    ],
    "Error": [
      "PayloadTooLargeError",
      "ProviderError",
      "RateLimitedError",
      "StartLimitError",
      "ValidationError"
    ],
    "ExpressionRunRequest": [
      "AudioMeasurementRequest",
      "ImageMeasurementRequest"
    ],
    "JobState": [
      "JobCompleted",
      "JobFailed",
      "JobInProgress",
      "JobQueued"
    ],
    "MeasureResult": [
      "MeasureSuccess",
      "PayloadTooLargeError",
      "ProviderError",
      "RateLimitedError",
      "StartLimitError",
      "ValidationError"
    ],
    "Prediction": [
      "AudioMeasurement",
      "BurstPrediction",
      "ChannelEmotions",
      "FaceMeasurement",
      "FacemeshPrediction",
      "FacePrediction",
      "LanguagePrediction",
      "NerPrediction",
      "ProsodyPrediction"
    ],
    "PredictionSource": [
      "FileSource",
      "TextSource",
      "UrlSource"
    ],
    "StartEmotionTaskResult": [
      "PayloadTooLargeError",
      "ProviderError",
      "RateLimitedError",
      "StartEmotionTaskSuccess",
      "StartLimitError",
      "ValidationError"
    ],
    "StartJobResult": [
      "ProviderError",
      "RateLimitedError",
      "StartJobSuccess",
      "StartLimitError",
      "ValidationError"
    ]
  }
};
      export default result;
    