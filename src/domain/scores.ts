/** A named score, as every provider gives them: an emotion, a description, a voice attribute, a FACS unit. */
export interface Score {
  name: string;
  score: number;
}
