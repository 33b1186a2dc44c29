import { normalize } from './normalize.ts';
import type { MixturePolicy } from './types.ts';

/** p_d ∝ S_d: what concatenating the datasets and shuffling gives (LAVIS without ratios). */
export const proportionalPolicy: MixturePolicy = (datasets) => normalize(datasets.map((d) => d.size), 'proportional policy');
