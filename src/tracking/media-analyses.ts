/**
 * Media analyses: one upload sent to several providers. The gateway records which piece of work each provider does
 * for it (or why it could not start); the status is derived from the sides whenever it is read. A reverse link per
 * side lets a side's status event reach the analysis it belongs to.
 */
import { randomUUID } from 'node:crypto';
import type { AnalysisSide, MediaAnalysisRecord } from '../domain/media-analysis.js';
import type { GatewayStore } from '../store/store.js';

const RECORDS = 'media-analysis';
const BY_WORK = 'media-analysis-by-work';
export const ANALYSIS_RECORD_TTL_MS = 30 * 24 * 3600 * 1000;

const workKey = (provider: string, workId: string) => `${provider}:${workId}`;

export class MediaAnalyses {
  constructor(private readonly store: GatewayStore) {}

  /** A new analysis id, taken before the sides start (their bookkeeping links to it). */
  newId(): string {
    return randomUUID();
  }

  async create(id: string, sides: AnalysisSide[]): Promise<MediaAnalysisRecord> {
    const record: MediaAnalysisRecord = { id, createdAt: Date.now(), sides };
    await this.store.put(RECORDS, record.id, record, ANALYSIS_RECORD_TTL_MS);
    return record;
  }

  /** Links one side's work to its analysis (written as soon as the provider took it). */
  link(analysisId: string, provider: string, workId: string): Promise<void> {
    return this.store.put(BY_WORK, workKey(provider, workId), analysisId, ANALYSIS_RECORD_TTL_MS);
  }

  async get(id: string): Promise<MediaAnalysisRecord | null> {
    return (await this.store.get<MediaAnalysisRecord>(RECORDS, id)) ?? null;
  }

  /** The analysis a provider's piece of work belongs to, if any. */
  async byWork(provider: string, workId: string): Promise<string | null> {
    return (await this.store.get<string>(BY_WORK, workKey(provider, workId))) ?? null;
  }
}
