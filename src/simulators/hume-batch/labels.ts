/**
 * Label lists the Hume batch simulator emits, in the order of /work/shared/providers/hume-batch.md §5.
 * Kept apart from the client's own lists on purpose: two independent readings of the doc catch each other's typos.
 */

/** §5.1: the 48 expressions of face, facemesh, prosody and vocal burst (alphabetical, as in real output). */
export const EMOTIONS_48: readonly string[] = [
  'Admiration', 'Adoration', 'Aesthetic Appreciation', 'Amusement', 'Anger', 'Anxiety', 'Awe', 'Awkwardness',
  'Boredom', 'Calmness', 'Concentration', 'Confusion', 'Contemplation', 'Contempt', 'Contentment', 'Craving',
  'Desire', 'Determination', 'Disappointment', 'Disgust', 'Distress', 'Doubt', 'Ecstasy', 'Embarrassment',
  'Empathic Pain', 'Entrancement', 'Envy', 'Excitement', 'Fear', 'Guilt', 'Horror', 'Interest', 'Joy', 'Love',
  'Nostalgia', 'Pain', 'Pride', 'Realization', 'Relief', 'Romance', 'Sadness', 'Satisfaction', 'Shame',
  'Surprise (negative)', 'Surprise (positive)', 'Sympathy', 'Tiredness', 'Triumph',
];

/** §5.2: the 53 expressions of emotional language (and NER): the 48 plus five, alphabetical. */
export const LANGUAGE_EMOTIONS_53: readonly string[] = [
  'Admiration', 'Adoration', 'Aesthetic Appreciation', 'Amusement', 'Anger', 'Annoyance', 'Anxiety', 'Awe',
  'Awkwardness', 'Boredom', 'Calmness', 'Concentration', 'Confusion', 'Contemplation', 'Contempt', 'Contentment',
  'Craving', 'Desire', 'Determination', 'Disappointment', 'Disapproval', 'Disgust', 'Distress', 'Doubt', 'Ecstasy',
  'Embarrassment', 'Empathic Pain', 'Enthusiasm', 'Entrancement', 'Envy', 'Excitement', 'Fear', 'Gratitude', 'Guilt',
  'Horror', 'Interest', 'Joy', 'Love', 'Nostalgia', 'Pain', 'Pride', 'Realization', 'Relief', 'Romance', 'Sadness',
  'Sarcasm', 'Satisfaction', 'Shame', 'Surprise (negative)', 'Surprise (positive)', 'Sympathy', 'Tiredness',
  'Triumph',
];

/** §5.3: the 67 vocal-burst descriptions: 30 call types, then 37 onomatopoeia. */
export const BURST_DESCRIPTIONS_67: readonly string[] = [
  'Cackle', 'Cheer', 'Chuckle', 'Cry', 'Gasp', 'Giggle', 'Groan', 'Growl', 'Grunt', 'Hiss', 'Hoot', 'Howl', 'Laugh',
  'Moan', 'Pant', 'Roar', 'Scream', 'Screech', 'Shout', 'Shriek', 'Sigh', 'Snicker', 'Snort', 'Sob', 'Squeal', 'Wail',
  'Wheep', 'Whimper', 'Yawn', 'Yelp',
  'Ah', 'Aha', 'Ahh', 'Argh', 'Aww', 'Eek', 'Eww', 'Grr', 'Ha', 'Hah', 'Haha', 'Hehe', 'Hmm', 'Huh', 'Hurray', 'Mhm',
  'Mmm', 'Oh', 'Ohh', 'Ooh', 'Ooph', 'Ouch', 'Oww', 'Pff', 'Phew', 'Tsk', 'Ugh', 'Uh', 'Uh-huh', 'Umm', 'Whee', 'Whew',
  'Woah', 'Wow', 'Yay', 'Yippee', 'Yuck',
];

/** §5.4 (third-party list, UNVERIFIED upstream): the 36 face `facs` labels. */
export const FACS_36: readonly string[] = [
  'AU1 Inner Brow Raise', 'AU2 Outer Brow Raise', 'AU4 Brow Lowerer', 'AU5 Upper Lid Raise', 'AU6 Cheek Raise',
  'AU7 Lids Tight', 'AU9 Nose Wrinkle', 'AU10 Upper Lip Raiser', 'AU11 Nasolabial Furrow Deepener',
  'AU12 Lip Corner Puller', 'AU14 Dimpler', 'AU15 Lip Corner Depressor', 'AU16 Lower Lip Depress', 'AU17 Chin Raiser',
  'AU18 Lip Pucker', 'AU19 Tongue Show', 'AU20 Lip Stretch', 'AU22 Lip Funneler', 'AU23 Lip Tightener',
  'AU24 Lip Presser', 'AU25 Lips Part', 'AU26 Jaw Drop', 'AU27 Mouth Stretch', 'AU28 Lips Suck', 'AU32 Bite',
  'AU34 Puff', 'AU37 Lip Wipe', 'AU38 Nostril Dilate', 'AU43 Eye Closure', 'AU53 Head Up', 'AU54 Head Down',
  'Hand over Mouth', 'Hand over Eyes', 'Hand over Forehead', 'Hand over Face', 'Hand touching Face / Head',
];

/** §5.4 (third-party list, UNVERIFIED upstream): the 27 face `descriptions` labels. */
export const FACE_DESCRIPTIONS_27: readonly string[] = [
  'Beaming', 'Biting lip', 'Cheering', 'Cringe', 'Cry', 'Eyes closed', 'Face in hands', 'Frown', 'Gasp', 'Glare',
  'Glaring', 'Grimace', 'Grin', 'Jaw drop', 'Laugh', 'Licking lip', 'Pout', 'Scowl', 'Smile', 'Smirk', 'Snarl',
  'Squint', 'Sulking', 'Tongue out', 'Wide-eyed', 'Wince', 'Wrinkled nose',
];

/** §5.5: sentiment levels "1" (most negative) … "9" (most positive). */
export const SENTIMENT_9: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** §5.5: the six toxicity categories. */
export const TOXICITY_6: readonly string[] = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];

/** §3.3: the 29 accepted transcription languages (case-sensitive). */
export const BCP47_TAGS: readonly string[] = [
  'zh', 'da', 'nl', 'en', 'en-AU', 'en-IN', 'en-NZ', 'en-GB', 'fr', 'fr-CA', 'de', 'hi', 'hi-Latn', 'id', 'it', 'ja',
  'ko', 'no', 'pl', 'pt', 'pt-BR', 'pt-PT', 'ru', 'es', 'es-419', 'sv', 'ta', 'tr', 'uk',
];

/** §3.2.5 */
export const GRANULARITIES: readonly string[] = ['word', 'sentence', 'utterance', 'conversational_turn'];
