import { normalize } from './normalize.ts';
import type { MixturePolicy } from './types.ts';

/** The paper's default (§2.4): p_d = √S_d / Σ_i √S_i. */
export const sqrtPolicy: MixturePolicy = (datasets) => normalize(datasets.map((d) => Math.sqrt(d.size)), 'sqrt policy');
