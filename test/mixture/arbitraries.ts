/** fast-check generators shared by the mixture tests. */
import fc from 'fast-check';
import { HELD_IN_IDS } from '../../pipelines/catalog.ts';
import type { MixtureConfig } from '../../pipelines/mixture/config.ts';
import { buildMixturePlan, type MixturePlan } from '../../pipelines/mixture/plan.ts';
import type { PolicyName } from '../../pipelines/mixture/policies/index.ts';

/** A non-empty subset of the held-in datasets, each with a size. */
export const datasetSizes = (maxSize = 20_000_000) => fc.shuffledSubarray([...HELD_IN_IDS], { minLength: 1 }).chain((ids) =>
  fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: ids.length, maxLength: ids.length })
    .map((sizes) => ids.map((id, i) => ({ id, size: sizes[i] }))));

const POLICY_NAMES: PolicyName[] = ['sqrt', 'proportional', 'uniform', 'temperature', 'unimax', 'weights'];

/** A plan under any policy, seed and (when the datasets are in it) the default adjustments. */
export const mixturePlan = (maxSize = 20_000_000) => fc.record({
  datasets: datasetSizes(maxSize),
  policy: fc.constantFrom(...POLICY_NAMES),
  seed: fc.nat({ max: 0xffffffff }),
  temperature: fc.double({ min: 0.2, max: 20, noNaN: true }),
  epochCap: fc.integer({ min: 1, max: 10 }),
  budget: fc.integer({ min: 1, max: 1e9 }),
  weight: fc.double({ min: 0.01, max: 100, noNaN: true }),
}).map(({ datasets, policy, seed, temperature, epochCap, budget, weight }): MixturePlan => {
  const ids = datasets.map((d) => d.id);
  const config: MixtureConfig = {
    policy,
    seed,
    datasets: ids,
    parameters: { temperature, epochCap, budget, weights: Object.fromEntries(ids.map((id, i) => [id, weight * (i + 1)])) },
    adjustments: Object.fromEntries(Object.entries({ okvqa: 2, aokvqa: 0.5 }).filter(([id]) => ids.includes(id))),
  };
  return buildMixturePlan(config, Object.fromEntries(datasets.map((d) => [d.id, d.size])));
});
