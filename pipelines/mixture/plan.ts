/**
 * A mixture plan: the datasets to draw from, their training sizes and the final probabilities
 * (policy, then adjustments). Everything the sampler needs besides its position.
 */
import { CATALOG } from '../catalog.ts';
import { hashString } from '../util/random.ts';
import { applyAdjustments } from './adjust.ts';
import type { MixtureConfig } from './config.ts';
import { POLICIES, type PolicyName } from './policies/index.ts';

export interface MixturePlan {
  seed: number;
  policy: PolicyName;
  datasets: readonly string[];
  /** Training records per dataset (training splits only). */
  sizes: readonly number[];
  /** Probability of drawing each dataset, after adjustments; sums to 1. */
  probabilities: readonly number[];
}

/** Refuses anything the trainer may not draw from: unknown ids and held-out datasets. */
export function assertTrainable(id: string): void {
  const info = CATALOG.find((d) => d.id === id);
  if (!info) throw new Error(`mixture: unknown dataset "${id}"`);
  if (info.heldOut) throw new Error(`mixture: "${id}" is held out (zero-shot evaluation only) and can never be drawn for training`);
}

/**
 * `sizes` maps dataset id → training records; `budget` (total draws, steps × global batch size)
 * overrides parameters.budget for policies that plan a whole run (unimax).
 */
export function buildMixturePlan(
  config: MixtureConfig,
  sizes: Readonly<Record<string, number>>,
  options: { budget?: number } = {},
): MixturePlan {
  config.datasets.forEach(assertTrainable);
  const datasets = config.datasets.map((id) => {
    const size = sizes[id];
    if (size === undefined) throw new Error(`mixture: no training size for "${id}"; build its shards (npm run build-shards) or pass its size`);
    if (!Number.isSafeInteger(size) || size < 1) throw new Error(`mixture: "${id}" has ${size} training records; it needs at least one`);
    return { id, size };
  });
  const parameters = { ...config.parameters, ...(options.budget === undefined ? {} : { budget: options.budget }) };
  const base = POLICIES[config.policy](datasets, parameters);
  return {
    seed: config.seed,
    policy: config.policy,
    datasets: [...config.datasets],
    sizes: datasets.map((d) => d.size),
    probabilities: applyAdjustments(config.datasets, base, config.adjustments),
  };
}

/** Identifies the plan's draw distribution and record order; a sampler state is only exact under the same one. */
export function planFingerprint(plan: MixturePlan): string {
  const identity = JSON.stringify([plan.seed, plan.datasets, plan.sizes, plan.probabilities]);
  return hashString(identity).toString(16).padStart(8, '0');
}
