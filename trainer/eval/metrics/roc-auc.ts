/**
 * Area under the ROC curve (Hateful Memes; the challenge scores it with scikit-learn's
 * `roc_auc_score` on the probability of "hateful"). Computed as the Mann-Whitney statistic: the
 * probability that a random positive scores above a random negative, a tie counting 1/2, which is what
 * the trapezoidal ROC area gives for tied scores. Any strictly increasing transform of the scores
 * leaves it unchanged, so probabilities, log-probabilities or logit differences all work.
 */

export interface RocAucResult {
  /** In [0, 1]. */
  auc: number;
  /**
   * Each example's share of the statistic: a positive's fraction of negatives it outscores, a
   * negative's fraction of positives that outscore it (ties 1/2). Both groups average to the AUC, so
   * all examples do too.
   */
  perExample: number[];
}

/**
 * Requires at least one positive and one negative (the AUC is undefined otherwise). Scores must be
 * comparable numbers; NaN should be mapped by the caller (the dispatch maps it to -Infinity).
 */
export function rocAuc(scores: readonly number[], isPositive: readonly boolean[]): RocAucResult {
  const positives = isPositive.filter(Boolean).length;
  const negatives = isPositive.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error(`ROC AUC needs positive and negative examples; got ${positives} positive and ${negatives} negative`);
  }
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] < scores[b] ? -1 : scores[a] > scores[b] ? 1 : 0));
  const perExample = new Array<number>(scores.length);
  let negativesBelow = 0;
  let positivesBelow = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    const tied = order.slice(start, end);
    const tiedPositives = tied.filter((i) => isPositive[i]).length;
    const tiedNegatives = tied.length - tiedPositives;
    const positivesAbove = positives - positivesBelow - tiedPositives;
    for (const i of tied) {
      perExample[i] = isPositive[i]
        ? (negativesBelow + tiedNegatives / 2) / negatives
        : (positivesAbove + tiedPositives / 2) / positives;
    }
    negativesBelow += tiedNegatives;
    positivesBelow += tiedPositives;
    start = end;
  }
  const auc = perExample.reduce((sum, share, i) => sum + (isPositive[i] ? share : 0), 0) / positives;
  return { auc, perExample };
}
