/** Numbers and times as people read them. */

/** Seconds as m:ss or h:mm:ss. */
export function clock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An elapsed time: "4.2 s", "3 min 05 s". */
export function elapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
}

export function percent(score: number): string {
  return `${(score * 100).toFixed(score >= 0.995 || score === 0 ? 0 : 1)}%`;
}

export const count = (n: number) => n.toLocaleString('en-US');

export const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The providers' names as the app shows them. */
export const providerName: Record<string, string> = {
  HUME_EXPRESSION: 'Hume expression',
  HUME_BATCH: 'Hume batch',
  HUME: 'Hume batch',
  PHONEXIA: 'Phonexia',
};
