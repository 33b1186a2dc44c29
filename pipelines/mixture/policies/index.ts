import { proportionalPolicy } from './proportional.ts';
import { sqrtPolicy } from './sqrt.ts';
import { temperaturePolicy } from './temperature.ts';
import type { MixturePolicy } from './types.ts';
import { uniformPolicy } from './uniform.ts';
import { unimaxPolicy } from './unimax.ts';
import { weightsPolicy } from './weights.ts';

export const POLICIES = {
  sqrt: sqrtPolicy,
  proportional: proportionalPolicy,
  uniform: uniformPolicy,
  temperature: temperaturePolicy,
  unimax: unimaxPolicy,
  weights: weightsPolicy,
} as const satisfies Record<string, MixturePolicy>;

export type PolicyName = keyof typeof POLICIES;

export function isPolicyName(name: unknown): name is PolicyName {
  return typeof name === 'string' && Object.hasOwn(POLICIES, name);
}

export type { DatasetSize, MixturePolicy, PolicyParameters } from './types.ts';
