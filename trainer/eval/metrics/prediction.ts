/**
 * Predictions arrive as whatever the evaluator produced (often read back from JSON). Anything of the
 * wrong kind is read as the prediction that scores lowest, so a bad prediction costs its example and
 * never stops a run.
 */

/** Generated text; anything that is not a string reads as '' (every text metric scores '' as 0). */
export function predictionText(prediction: unknown): string {
  return typeof prediction === 'string' ? prediction : '';
}

/** A chosen candidate: its index (an integer) or its text; anything else is null (scores 0). */
export function predictionChoice(prediction: unknown): number | string | null {
  if (typeof prediction === 'string') return prediction;
  return Number.isInteger(prediction) ? prediction as number : null;
}

/** A score to rank by; anything that is not a number (or is NaN) ranks below every real score. */
export function predictionScore(prediction: unknown): number {
  return typeof prediction === 'number' && !Number.isNaN(prediction) ? prediction : -Infinity;
}

/** One score per candidate; null unless it is an array of `count` entries (entries read as predictionScore). */
export function predictionScores(prediction: unknown, count: number): number[] | null {
  return Array.isArray(prediction) && prediction.length === count ? prediction.map(predictionScore) : null;
}
