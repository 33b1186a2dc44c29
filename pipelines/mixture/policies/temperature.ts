import { normalize } from './normalize.ts';
import type { MixturePolicy } from './types.ts';

/**
 * p_d ∝ S_d^(1/T) (T5, mT5): T = 1 is proportional, T = 2 the paper's √, T → ∞ uniform.
 * Computed in log space relative to the largest dataset, so a small T cannot overflow.
 */
export const temperaturePolicy: MixturePolicy = (datasets, { temperature }) => {
  if (temperature === undefined || !Number.isFinite(temperature) || temperature <= 0) {
    throw new Error(`temperature policy: parameters.temperature must be a positive number, got ${temperature}`);
  }
  const logs = datasets.map((d) => Math.log(d.size));
  const largest = Math.max(...logs);
  return normalize(logs.map((l) => Math.exp((l - largest) / temperature)), 'temperature policy');
};
