import { normalize } from './normalize.ts';
import type { MixturePolicy } from './types.ts';

/** Explicit weights (e.g. fitted offline with DoReMi or mixing laws), normalized; sizes are ignored. */
export const weightsPolicy: MixturePolicy = (datasets, { weights }) => {
  if (weights === undefined) throw new Error('weights policy: parameters.weightsFile must name a JSON file of weights');
  const ids = new Set(datasets.map((d) => d.id));
  const missing = datasets.filter((d) => !(d.id in weights)).map((d) => d.id);
  const extra = Object.keys(weights).filter((id) => !ids.has(id));
  if (missing.length > 0) throw new Error(`weights policy: no weight for ${missing.join(', ')}`);
  if (extra.length > 0) throw new Error(`weights policy: weights for datasets not in the mixture: ${extra.join(', ')}`);
  return normalize(datasets.map((d) => weights[d.id]), 'weights policy');
};
