/** Turning candidate log-likelihoods into the predictions the metrics take. */

/** log(sum(exp(values))), stable for large negative log-likelihoods. */
export function logSumExp(values: readonly number[]): number {
  const top = Math.max(...values);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(values.reduce((sum, v) => sum + Math.exp(v - top), 0));
}

/** A class's log-likelihood from its verbalizers': the log of their summed probability. */
export function classLogLikelihoods(verbalizerScores: readonly (readonly number[])[]): number[] {
  return verbalizerScores.map(logSumExp);
}

/** Softmax over the classes' log-likelihoods, entry `index`: P("yes") renormalized over yes/no. */
export function normalizedProbability(logLikelihoods: readonly number[], index: number): number {
  const total = logSumExp(logLikelihoods);
  return Math.exp(logLikelihoods[index]! - total);
}

/** The best-scoring index; the first on ties, so a prediction does not depend on float noise order. */
export function bestIndex(scores: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best;
}

/** The `k` best indices, best first (ties by index). */
export function topIndices(scores: readonly number[], k: number): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
}
