/**
 * Media analyses: one upload sent to both providers. The gateway records which Hume job and which Phonexia task
 * belong together, and why a side failed to start; the status is derived from the two sides whenever it is read.
 */
import { randomUUID } from 'node:crypto';
import type { GatewayStore } from '../store/store.js';

const RECORDS = 'media-analysis';
const RECORD_TTL_MS = 30 * 24 * 3600 * 1000;

export interface StartFailure {
  message: string;
  status: number | null;
  code: string | null;
}

export interface MediaAnalysisRecord {
  id: string;
  jobId: string | null;
  taskId: string | null;
  humeStartFailure: StartFailure | null;
  phonexiaStartFailure: StartFailure | null;
  createdAt: number;
}

export class MediaAnalyses {
  constructor(private readonly store: GatewayStore) {}

  async create(parts: Omit<MediaAnalysisRecord, 'id' | 'createdAt'>): Promise<MediaAnalysisRecord> {
    const record: MediaAnalysisRecord = { id: randomUUID(), createdAt: Date.now(), ...parts };
    await this.store.put(RECORDS, record.id, record, RECORD_TTL_MS);
    // Reverse links let a job or task event reach the analysis it belongs to.
    if (record.jobId) await this.store.put(`${RECORDS}-by-job`, record.jobId, record.id, RECORD_TTL_MS);
    if (record.taskId) await this.store.put(`${RECORDS}-by-task`, record.taskId, record.id, RECORD_TTL_MS);
    return record;
  }

  async get(id: string): Promise<MediaAnalysisRecord | null> {
    return (await this.store.get<MediaAnalysisRecord>(RECORDS, id)) ?? null;
  }

  async byJob(jobId: string): Promise<string | null> {
    return (await this.store.get<string>(`${RECORDS}-by-job`, jobId)) ?? null;
  }

  async byTask(taskId: string): Promise<string | null> {
    return (await this.store.get<string>(`${RECORDS}-by-task`, taskId)) ?? null;
  }
}
