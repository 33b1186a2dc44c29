/**
 * Reciprocal rank for Visual Dialog: the model scores each of a round's 100 answer options, the
 * ground-truth option's 1-based rank among them is r, and the round scores 1/r; MRR is the mean over
 * rounds (the official evaluation reports it next to R@k and mean rank, InstructBLIP reports MRR).
 *
 * Ties: the official code ranks by a descending sort of the scores, which breaks ties by the sort's
 * internal order, i.e. arbitrarily. Here a tie is resolved by its expectation under a uniformly random
 * order: with a options scoring strictly higher and k options (the ground truth included) scoring the
 * same, the ranks a+1 .. a+k are equally likely, and the score is the mean of their reciprocals. A
 * model that gives every option the same score thus gets the mean of 1/1 .. 1/100, not 1 or 1/100.
 */

/**
 * In (0, 1] for a valid truth index. Scores must be comparable numbers; NaN should be mapped by the
 * caller (the dispatch maps it to -Infinity, below every real score).
 */
export function reciprocalRank(optionScores: readonly number[], truthIndex: number): number {
  const truthScore = optionScores[truthIndex];
  const higher = optionScores.filter((score) => score > truthScore).length;
  const tied = optionScores.filter((score) => score === truthScore).length;
  let sum = 0;
  for (let rank = higher + 1; rank <= higher + tied; rank++) sum += 1 / rank;
  return sum / tied;
}
