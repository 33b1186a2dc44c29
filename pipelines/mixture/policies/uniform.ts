import type { MixturePolicy } from './types.ts';

/** p_d = 1 / D, whatever the sizes. */
export const uniformPolicy: MixturePolicy = (datasets) => datasets.map(() => 1 / datasets.length);
