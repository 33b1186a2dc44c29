import { normalize } from './policies/normalize.ts';

/**
 * The paper's manual adjustments (§2.4): after the policy, some datasets' probabilities are
 * multiplied by a factor and the whole is renormalized. The paper gives the direction (raise
 * OK-VQA, lower A-OKVQA) but no numbers; ours are DEFAULT_ADJUSTMENTS.
 */
export const DEFAULT_ADJUSTMENTS: Readonly<Record<string, number>> = { okvqa: 2, aokvqa: 0.5 };

export function applyAdjustments(
  datasets: readonly string[],
  probabilities: readonly number[],
  factors: Readonly<Record<string, number>>,
): number[] {
  for (const [id, factor] of Object.entries(factors)) {
    if (!datasets.includes(id)) throw new Error(`mixture adjustment for "${id}", which is not in the mixture (${datasets.join(', ')})`);
    if (!Number.isFinite(factor) || factor <= 0) throw new Error(`mixture adjustment for "${id}" must be a positive number, got ${factor}`);
  }
  return normalize(datasets.map((id, i) => probabilities[i] * (factors[id] ?? 1)), 'adjusted mixture');
}
