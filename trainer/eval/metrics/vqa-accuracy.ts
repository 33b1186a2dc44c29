/**
 * VQA accuracy (VQAv2, OK-VQA, VizWiz, TextVQA): for each of the n leave-one-out subsets of the n
 * human answers (n = 10 in these datasets), min(#answers in the subset equal to the prediction / 3, 1),
 * averaged over the subsets, as the official VQA evaluation computes it.
 *
 * Both sides go through the official normalization. The VQA tool itself normalizes only the
 * prediction fully and runs just the punctuation step over the human answers (and only when they
 * disagree), and VizWiz's copy leaves them untouched: those tools rely on annotation files whose answers
 * were already normalized, and on such answers the normalizer is the identity, so the scores agree.
 * Records built from raw answers (TextVQA; mmf's TextVQA evaluator normalizes both sides too) need
 * it, and so does any answer file that was not pre-processed.
 */
import { normalizeVqaAnswer } from './vqa-normalize.ts';

/** How many matching humans make a subset's score 1. */
const HUMANS_FOR_FULL_CREDIT = 3;

/**
 * Accuracy in [0, 1] of one predicted answer. An empty prediction scores 0 even when a human
 * answer also normalizes to '' (the official tool would count that as a match).
 */
export function vqaAccuracy(prediction: string, humanAnswers: readonly string[]): number {
  const predicted = normalizeVqaAnswer(prediction);
  if (predicted === '' || humanAnswers.length === 0) return 0;
  const matches = humanAnswers.map((answer) => normalizeVqaAnswer(answer) === predicted);
  const matchCount = matches.filter(Boolean).length;
  const subsetScores = matches.map((leftOutMatches) =>
    Math.min((matchCount - (leftOutMatches ? 1 : 0)) / HUMANS_FOR_FULL_CREDIT, 1));
  return subsetScores.reduce((sum, score) => sum + score, 0) / subsetScores.length;
}
