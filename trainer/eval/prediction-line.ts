/** One line of runs/<name>/eval/<dataset>.jsonl: an evaluated example, as made and then as scored. */

export interface RankedCandidate {
  text: string;
  /** Sum of the candidate's token log-probabilities (EOS included); a class's is log sum exp over its verbalizers. */
  logLikelihood: number;
  /** Verbalized labels: each verbalizer's own log-likelihood. */
  verbalizers?: Record<string, number>;
}

export interface PredictionLine {
  id: string;
  /** The rendered instruction (Q-Former and LM both see it). */
  prompt: string;
  templateId: string;
  /** What the metric scores: generated text, a candidate index or text, P(positive), or one score per option. */
  prediction: unknown;
  /** Free generation: the decoded text, its token count, whether EOS ended it (false: cut at the limit). */
  generated?: { text: string; tokens: number; finished: boolean };
  /** Ranking: candidates best first (the ten best for a vocabulary). */
  ranked?: RankedCandidate[];
  references: string[];
  /** The example's metric score on the paper's scale; added when the whole dataset is scored. */
  score?: number;
}
