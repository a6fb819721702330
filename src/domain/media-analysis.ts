/** One upload analysed by several providers at once: which work each provider does for it, or why it could not. */

export type AnalysisProgress = 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface StartFailure {
  message: string;
  /** The provider's HTTP status when it refused the start. */
  status: number | null;
  code: string | null;
}

export interface AnalysisSide {
  /** Provider id. */
  provider: string;
  /** The provider's work id (job, task, run); null when it did not take the upload. */
  workId: string | null;
  startFailure: StartFailure | null;
}

export interface MediaAnalysisRecord {
  id: string;
  createdAt: number;
  sides: AnalysisSide[];
}
