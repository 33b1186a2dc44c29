/** `npm run inspect -- --mixture <config> [--steps N] [--batch-size B]`: expected shares before training. */
import path from 'node:path';
import { DEFAULT_BATCH_SIZE, DEFAULT_STEPS, inspectMixture } from '../cli/inspect-mixture.ts';
import type { InspectView } from '../shards/inspect/inspect-view.ts';
import { indexManifestPath } from '../shards/layout.ts';

function positiveInteger(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, not "${value}"`);
  return n;
}

export const mixtureView: InspectView = {
  options: {
    mixture: { type: 'string' },
    steps: { type: 'string' },
    'batch-size': { type: 'string' },
  },
  usage: [
    `npm run inspect -- --mixture <config.json> [--steps ${DEFAULT_STEPS}] [--batch-size ${DEFAULT_BATCH_SIZE}]`,
    '    expected draws, epochs and shares per dataset under the config\'s mixture, before training',
  ],
  applies: (context) => typeof context.values.mixture === 'string' && context.values.example === undefined && context.values.draw === undefined,
  async run(context) {
    context.out(inspectMixture({
      configPath: path.resolve(context.values.mixture as string),
      steps: positiveInteger(context.values.steps, DEFAULT_STEPS, 'steps'),
      batchSize: positiveInteger(context.values['batch-size'], DEFAULT_BATCH_SIZE, 'batch-size'),
      manifestPath: indexManifestPath(context.manifestsDir),
    }));
  },
};
