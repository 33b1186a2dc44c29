/**
 * Top-1 accuracy for the tasks the paper scores by ranking candidates (ScienceQA, IconQA, VSR,
 * MSVD-QA, MSRVTT-QA): the prediction is the index of the best-scoring candidate, or its text.
 */
import { exactMatch } from './exact-match.ts';

export interface RankedTruth {
  /** Index of the correct candidate, or null when the candidates are not listed per example
   *  (MSVD-QA and MSRVTT-QA rank the dataset's whole answer vocabulary). */
  answerIndex: number | null;
  /** The correct answer's text. */
  answer: string;
}

/**
 * 1 when the predicted index is the correct one, or the predicted text equals the correct answer
 * after the VQA normalization (a ranked candidate is returned verbatim, so this is plain equality for
 * it, and it also lets a generated "True." count for "true"); else 0.
 */
export function top1Correct(prediction: number | string, truth: RankedTruth): number {
  if (typeof prediction === 'number') return truth.answerIndex !== null && prediction === truth.answerIndex ? 1 : 0;
  return exactMatch(prediction, truth.answer);
}
