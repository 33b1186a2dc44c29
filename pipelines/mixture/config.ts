/**
 * The `mixture` section of a trainer config (trainer/configs/*.json), validated. Keys:
 *   policy       sqrt (default) | proportional | uniform | temperature | unimax | weights
 *   seed         unsigned 32-bit integer; fixes every draw (default 0)
 *   datasets     held-in dataset ids to mix (default: all 13 held-in)
 *   parameters   temperature (temperature), epochCap and budget (unimax),
 *                weightsFile (weights: JSON {dataset: weight}, relative to the config file)
 *   adjustments  {dataset: factor} multiplied on top of the policy (default: DEFAULT_ADJUSTMENTS
 *                for the datasets in the mixture; {} for none)
 *   notes        free text, ignored
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HELD_IN_IDS } from '../catalog.ts';
import { DEFAULT_ADJUSTMENTS } from './adjust.ts';
import { isPolicyName, POLICIES, type PolicyName, type PolicyParameters } from './policies/index.ts';

export interface MixtureConfig {
  policy: PolicyName;
  seed: number;
  datasets: string[];
  parameters: PolicyParameters;
  adjustments: Record<string, number>;
}

const KEYS = ['policy', 'seed', 'datasets', 'parameters', 'adjustments', 'notes'];
const PARAMETER_KEYS = ['temperature', 'epochCap', 'budget', 'weightsFile'];

/** Reads `file` and validates its `mixture` section. */
export function loadMixtureConfig(file: string): MixtureConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the config: ${(error as Error).message}`);
  }
  if (!isObject(json) || !isObject(json.mixture)) throw new Error(`${file}: expected a JSON object with a "mixture" object`);
  return parseMixtureConfig(json.mixture, file);
}

/** Validates a `mixture` object; `file` names it in errors and anchors a relative weightsFile. */
export function parseMixtureConfig(raw: Record<string, unknown>, file: string): MixtureConfig {
  const fail = (message: string): never => {
    throw new Error(`${file}: mixture.${message}`);
  };
  for (const key of Object.keys(raw)) if (!KEYS.includes(key)) fail(`${key} is not a mixture key (known: ${KEYS.join(', ')})`);

  const policy = raw.policy ?? 'sqrt';
  if (!isPolicyName(policy)) return fail(`policy must be one of ${Object.keys(POLICIES).join(', ')}, got ${JSON.stringify(policy)}`);

  const seed = raw.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    return fail(`seed must be an integer in [0, 2^32), got ${JSON.stringify(seed)}`);
  }

  const datasets = raw.datasets ?? HELD_IN_IDS;
  if (!Array.isArray(datasets) || datasets.length === 0 || !datasets.every((d) => typeof d === 'string')) {
    return fail('datasets must be a non-empty list of dataset ids');
  }
  const duplicate = datasets.find((d, i) => datasets.indexOf(d) !== i);
  if (duplicate !== undefined) fail(`datasets lists "${duplicate}" twice`);

  const rawParameters = raw.parameters ?? {};
  if (!isObject(rawParameters)) return fail('parameters must be an object');
  const parameters: PolicyParameters = {};
  for (const [key, value] of Object.entries(rawParameters)) {
    if (!PARAMETER_KEYS.includes(key)) fail(`parameters.${key} is not a policy parameter (known: ${PARAMETER_KEYS.join(', ')})`);
    if (key === 'weightsFile') {
      if (typeof value !== 'string') fail('parameters.weightsFile must be a path');
      parameters.weights = readWeights(path.resolve(path.dirname(file), value as string), fail);
    } else if (typeof value !== 'number') {
      fail(`parameters.${key} must be a number`);
    } else {
      parameters[key as 'temperature' | 'epochCap' | 'budget'] = value;
    }
  }

  const adjustments = raw.adjustments ?? Object.fromEntries(Object.entries(DEFAULT_ADJUSTMENTS).filter(([id]) => datasets.includes(id)));
  if (!isObject(adjustments) || !Object.values(adjustments).every((f) => typeof f === 'number')) {
    return fail('adjustments must map dataset ids to numbers');
  }
  return { policy, seed, datasets: [...datasets], parameters, adjustments: adjustments as Record<string, number> };
}

function readWeights(file: string, fail: (message: string) => never): Record<string, number> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`parameters.weightsFile: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!isObject(json) || !Object.values(json).every((w) => typeof w === 'number')) {
    return fail(`parameters.weightsFile: ${file} must be a JSON object of dataset → number`);
  }
  return json as Record<string, number>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
