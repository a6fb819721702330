/**
 * Colours for emotions: the same emotion has the same colour in every chart (Hume names hash into a palette that
 * stays distinguishable on light and dark backgrounds); Phonexia's four have fixed ones.
 */
const PALETTE = ['#2f6fdf', '#e0533d', '#2a9d5b', '#c98a0b', '#8e4fd1', '#0f9fb0', '#d2447f', '#6d7f18', '#b2621f', '#4a5bd4', '#1b8a7a', '#a23ca8'];

const PHONEXIA: Record<string, string> = { angry: '#d63b2f', happy: '#d9a400', neutral: '#7d8793', sad: '#2f6fdf' };

export function emotionColor(name: string): string {
  const fixed = PHONEXIA[name.toLowerCase()];
  if (fixed) return fixed;
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return PALETTE[(hash >>> 0) % PALETTE.length]!;
}
