/**
 * Exact-match accuracy (GQA): 1 when the prediction and the single reference answer are equal after
 * the official VQA normalization, else 0.
 *
 * LAVIS's GQA evaluation normalizes only the prediction and compares it with the raw answer; GQA's
 * answers are lowercase words without articles, which the normalizer leaves as they are, so
 * normalizing both sides gives the same score there and is robust to answers that are not.
 */
import { normalizeVqaAnswer } from './vqa-normalize.ts';

/** 1 or 0; an empty prediction is never a match, even against an answer that normalizes to ''. */
export function exactMatch(prediction: string, reference: string): number {
  const predicted = normalizeVqaAnswer(prediction);
  return predicted !== '' && predicted === normalizeVqaAnswer(reference) ? 1 : 0;
}
