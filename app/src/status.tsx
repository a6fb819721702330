/** One vocabulary for every provider's states: queued, running, done, failed (with the reason). */
import type { ComponentChildren } from 'preact';
import type { RequestError } from './api/client.js';
import { elapsed } from './format.js';

export type Phase = 'queued' | 'running' | 'done' | 'failed';

const LABEL: Record<Phase, string> = { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' };

export function jobPhase(status: string): Phase {
  return status === 'QUEUED' ? 'queued' : status === 'IN_PROGRESS' ? 'running' : status === 'COMPLETED' ? 'done' : 'failed';
}

export function taskPhase(status: string): Phase {
  return status === 'PENDING' ? 'queued' : status === 'RUNNING' ? 'running' : status === 'DONE' ? 'done' : 'failed';
}

export function runPhase(status: string): Phase {
  return status === 'RUNNING' ? 'running' : status === 'COMPLETED' ? 'done' : 'failed';
}

export const analysisPhase = runPhase;

export const isFinal = (phase: Phase) => phase === 'done' || phase === 'failed';

/** The state in words (never by colour alone), with its elapsed time when known. */
export function StatusBadge({ phase, elapsedMs, label }: { phase: Phase; elapsedMs?: number | null; label?: string }) {
  return (
    <span class={`status status-${phase}`} data-phase={phase}>
      <span class="status-dot" aria-hidden="true" />
      <span class="status-label">{label ?? LABEL[phase]}</span>
      {elapsedMs !== undefined && elapsedMs !== null && <span class="status-elapsed">{elapsed(elapsedMs)}</span>}
    </span>
  );
}

/** An error as a sentence, with what to do when there is something to do. */
export function ErrorMessage({ error, children }: { error: RequestError | string; children?: ComponentChildren }) {
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div class="error" role="alert">
      <strong>Something went wrong.</strong> {message}
      {children}
    </div>
  );
}
