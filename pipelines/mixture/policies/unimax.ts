import { normalize } from './normalize.ts';
import type { MixturePolicy } from './types.ts';

/**
 * UniMax (Chung et al., ICLR 2023): spread the budget as evenly as possible over the datasets, but
 * let none take more than `epochCap` epochs; what a capped dataset cannot use goes to the larger
 * ones. Smallest first: each takes min(cap × size, an equal share of what is left).
 * When even the caps cannot absorb the budget, the result is proportional to cap × size.
 */
export const unimaxPolicy: MixturePolicy = (datasets, { budget, epochCap }) => {
  if (budget === undefined || !Number.isFinite(budget) || budget <= 0) {
    throw new Error(`unimax policy: a positive budget (total draws: steps × batch size) is required, got ${budget}`);
  }
  if (epochCap === undefined || !Number.isFinite(epochCap) || epochCap <= 0) {
    throw new Error(`unimax policy: parameters.epochCap must be a positive number, got ${epochCap}`);
  }
  const order = datasets.map((_, i) => i).sort((a, b) => datasets[a].size - datasets[b].size);
  const allocation = new Array<number>(datasets.length);
  let remaining = budget;
  order.forEach((index, rank) => {
    const share = remaining / (datasets.length - rank);
    allocation[index] = Math.min(epochCap * datasets[index].size, share);
    remaining -= allocation[index];
  });
  return normalize(allocation, 'unimax policy');
};
