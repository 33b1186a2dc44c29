/**
 * iVQA accuracy (Yang et al. 2021, "Just Ask"): each question has five annotator answers, and a
 * predicted answer scores min(#annotators who gave it / 2, 1): two matching annotators make it fully
 * correct, one makes it half correct. There is no leave-one-out averaging (the Just Ask code turns
 * the answer counts into (count / 2).clamp(max=1) and reads off the predicted answer's value).
 *
 * Just Ask's model picks an answer from a vocabulary built from the same strings, so its comparison
 * is exact string equality; a generative model's text is compared after the official VQA
 * normalization on both sides, which leaves already-clean answers unchanged.
 */
import { normalizeVqaAnswer } from './vqa-normalize.ts';

/** How many matching annotators make the answer fully correct. */
const ANNOTATORS_FOR_FULL_CREDIT = 2;

/** Accuracy in [0, 1]; an empty prediction scores 0. */
export function ivqaAccuracy(prediction: string, annotatorAnswers: readonly string[]): number {
  const predicted = normalizeVqaAnswer(prediction);
  if (predicted === '') return 0;
  const matching = annotatorAnswers.filter((answer) => normalizeVqaAnswer(answer) === predicted).length;
  return Math.min(matching / ANNOTATORS_FOR_FULL_CREDIT, 1);
}
