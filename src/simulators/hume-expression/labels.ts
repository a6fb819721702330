/**
 * The four vocabularies the Hume expression (v1) simulator emits, from /work/shared/providers/hume-expression-v1.md §8.
 *
 * The reference confirms only the sizes (415 / 190 / 48 / 27), that names are lowercase, and that the documented
 * tables read column by column in alphabetical order; most names could not be read. So each list is built from
 * the names the reference does give, each at its documented position where one is known, and the rest is filled
 * with placeholders that say what they are: `<preceding real name> (simulated NN)`. A placeholder sorts right
 * after the real name it extends, so every list stays strictly alphabetical. When the real tables become
 * available, replace a builder call with the literal list: nothing else depends on how a list was made.
 *
 * Audio expressions (415, §8.1): anchors `abhorrence` 1, `admiration` 2, `adoration` 3, `dumbfoundedness` 105,
 * `eagerness` 106, `earnestness` 107 (the reference shows "earnes…"), `feeling uplifted` 209, `feeling upset` 210,
 * `pleasure` 313, `pondering` 314 (heads of 4 columns of 104, 104, 104, 103 rows). Between them: the confirmed
 * `amusement`, `anger`, `interest`, `joy`, `neutral`, plus the v0 prosody names (§8.3's provisional source, an
 * assumption: a 415-name vocabulary probably keeps the 48), then placeholders.
 * Voice attributes (190, §8.2): `calm`, `clear`, `monotone`, then placeholders.
 * Face expressions (48, §8.3): the v0 face list lowercased, except that the reference shows `entrancement` at 25
 * and `realization` at 37 where v0 has them at 26 and 38: one v0 name between `contempt` (14) and `entrancement`
 * is gone and one name after `realization` is new. Which one is unknown; we drop `empathic pain` (the last v0
 * name in that range, so every other name keeps its v0 position) and add one placeholder after `realization`.
 * Face descriptions (27, §8.4): the provisional v0 list lowercased, as the reference gives it.
 */

/** The 48 v0 expressions, lowercased and sorted (the v0 reference's §5.1). */
const V0_EXPRESSIONS: readonly string[] = [
  'admiration', 'adoration', 'aesthetic appreciation', 'amusement', 'anger', 'anxiety', 'awe', 'awkwardness',
  'boredom', 'calmness', 'concentration', 'confusion', 'contemplation', 'contempt', 'contentment', 'craving',
  'desire', 'determination', 'disappointment', 'disgust', 'distress', 'doubt', 'ecstasy', 'embarrassment',
  'empathic pain', 'entrancement', 'envy', 'excitement', 'fear', 'guilt', 'horror', 'interest', 'joy', 'love',
  'nostalgia', 'pain', 'pride', 'realization', 'relief', 'romance', 'sadness', 'satisfaction', 'shame',
  'surprise (negative)', 'surprise (positive)', 'sympathy', 'tiredness', 'triumph',
];

/** A name at a known 1-based position. */
interface Anchor {
  position: number;
  name: string;
}

/**
 * Builds a strictly alphabetical list of `size` names: anchors at their positions, the other known names in the
 * gaps where they sort, and placeholders spread evenly over the real names of each gap.
 */
export function buildVocabulary(size: number, anchors: readonly Anchor[], known: readonly string[]): string[] {
  const anchorNames = new Set(anchors.map((a) => a.name));
  const others = [...new Set(known)].filter((n) => !anchorNames.has(n)).sort(compare);
  const sortedAnchors = [...anchors].sort((a, b) => a.position - b.position);
  const result: string[] = [];
  // Gap i lies after anchor i-1 (or the start) and before anchor i (or the end).
  const bounds = [...sortedAnchors, { position: size + 1, name: '\uffff' }];
  let previous: Anchor | undefined;
  for (const bound of bounds) {
    const lower = previous?.name ?? '';
    const inGap = others.filter((n) => compare(n, lower) > 0 && compare(n, bound.name) < 0);
    const slots = bound.position - (previous?.position ?? 0) - 1;
    const reals = previous ? [previous.name, ...inGap] : inGap;
    const placeholders = slots - inGap.length;
    if (placeholders < 0) throw new Error(`vocabulary: ${inGap.length} known names do not fit before position ${bound.position}`);
    if (placeholders > 0 && reals.length === 0) throw new Error(`vocabulary: nothing to extend before position ${bound.position}`);
    reals.forEach((real, i) => {
      result.push(real);
      // Even spread: the first (placeholders % reals) real names get one extra.
      const count = Math.floor(placeholders / reals.length) + (i < placeholders % reals.length ? 1 : 0);
      for (let k = 1; k <= count; k++) result.push(`${real} (simulated ${String(k).padStart(2, '0')})`);
    });
    previous = bound.position <= size ? bound : undefined;
  }
  return checked(result, size, anchors);
}

/** Code-unit order: names are lowercase ASCII, and locale rules must not reorder punctuation. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checked(list: string[], size: number, anchors: readonly Anchor[]): string[] {
  if (list.length !== size) throw new Error(`vocabulary: expected ${size} names, built ${list.length}`);
  for (let i = 1; i < list.length; i++) {
    if (compare(list[i - 1]!, list[i]!) >= 0) throw new Error(`vocabulary: "${list[i - 1]}" does not sort before "${list[i]}"`);
  }
  for (const { position, name } of anchors) {
    if (list[position - 1] !== name) throw new Error(`vocabulary: "${name}" is not at position ${position}`);
  }
  for (const name of list) if (name !== name.toLowerCase()) throw new Error(`vocabulary: "${name}" is not lowercase`);
  return list;
}

/** §8.1, 415 names. */
export const AUDIO_EXPRESSIONS: readonly string[] = Object.freeze(
  buildVocabulary(
    415,
    [
      { position: 1, name: 'abhorrence' },
      { position: 2, name: 'admiration' },
      { position: 3, name: 'adoration' },
      { position: 105, name: 'dumbfoundedness' },
      { position: 106, name: 'eagerness' },
      { position: 107, name: 'earnestness' },
      { position: 209, name: 'feeling uplifted' },
      { position: 210, name: 'feeling upset' },
      { position: 313, name: 'pleasure' },
      { position: 314, name: 'pondering' },
    ],
    [...V0_EXPRESSIONS, 'neutral', 'amusement', 'interest', 'joy', 'anger'],
  ),
);

/** §8.2, 190 names. */
export const VOICE_ATTRIBUTES: readonly string[] = Object.freeze(buildVocabulary(190, [], ['calm', 'clear', 'monotone']));

/** §8.3, 48 names: v0's list without `empathic pain`, plus one placeholder after `realization`. */
export const FACE_EXPRESSIONS: readonly string[] = Object.freeze(
  checked(
    V0_EXPRESSIONS.filter((n) => n !== 'empathic pain').flatMap((n) => (n === 'realization' ? [n, `${n} (simulated 01)`] : [n])),
    48,
    [
      { position: 1, name: 'admiration' },
      { position: 2, name: 'adoration' },
      { position: 13, name: 'contemplation' },
      { position: 14, name: 'contempt' },
      { position: 25, name: 'entrancement' },
      { position: 37, name: 'realization' },
    ],
  ),
);

/** §8.4, 27 names (provisional v0 descriptions, lowercased). */
export const FACE_DESCRIPTIONS: readonly string[] = Object.freeze(
  checked(
    [
      'beaming', 'biting lip', 'cheering', 'cringe', 'cry', 'eyes closed', 'face in hands', 'frown', 'gasp', 'glare',
      'glaring', 'grimace', 'grin', 'jaw drop', 'laugh', 'licking lip', 'pout', 'scowl', 'smile', 'smirk', 'snarl',
      'squint', 'sulking', 'tongue out', 'wide-eyed', 'wince', 'wrinkled nose',
    ],
    27,
    [],
  ),
);

export interface Vocabularies {
  audioExpressions: readonly string[];
  voiceAttributes: readonly string[];
  faceExpressions: readonly string[];
  faceDescriptions: readonly string[];
}

export const DEFAULT_VOCABULARIES: Vocabularies = {
  audioExpressions: AUDIO_EXPRESSIONS,
  voiceAttributes: VOICE_ATTRIBUTES,
  faceExpressions: FACE_EXPRESSIONS,
  faceDescriptions: FACE_DESCRIPTIONS,
};
