/**
 * Shows what a mixture config will do over a run before it runs: per dataset, the share of draws,
 * the expected draws and epochs for steps × batch size, and which datasets repeat how often.
 *
 *   tsx pipelines/cli/inspect-mixture.ts trainer/configs/demo.json [--steps 1000] [--batch-size 16]
 *       [--manifest manifests/index.json] [--sizes sizes.json]
 *
 * Sizes (training records per dataset) come from the manifest index when it exists; a `--sizes`
 * JSON file ({dataset: records}) fills in datasets the index does not have.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMixtureConfig } from '../mixture/config.ts';
import { expectedLedger, formatLedger } from '../mixture/ledger.ts';
import { buildMixturePlan } from '../mixture/plan.ts';
import { DEFAULT_MANIFEST_INDEX, readTrainingSizes } from '../mixture/sizes.ts';

export interface InspectMixtureOptions {
  configPath: string;
  steps: number;
  /** Global batch size: examples drawn per step over all ranks. */
  batchSize: number;
  manifestPath?: string;
  /** Fallback sizes for datasets the manifest index lacks (or when there is none). */
  sizes?: Readonly<Record<string, number>>;
}

export const DEFAULT_STEPS = 1000;
export const DEFAULT_BATCH_SIZE = 16;

/** The report as markdown. */
export function inspectMixture(options: InspectMixtureOptions): string {
  const { configPath, steps, batchSize, manifestPath = DEFAULT_MANIFEST_INDEX } = options;
  for (const [name, value] of [['steps', steps], ['batch size', batchSize]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`inspect-mixture: ${name} must be a positive integer, got ${value}`);
  }
  const config = loadMixtureConfig(configPath);
  const fromManifest = readTrainingSizes(manifestPath) ?? {};
  const sizes = { ...options.sizes, ...fromManifest };
  const draws = steps * batchSize;
  const plan = buildMixturePlan(config, sizes, { budget: draws });
  const ledger = expectedLedger(plan, draws);

  const fromIndex = config.datasets.filter((id) => id in fromManifest).length;
  const adjustments = Object.entries(config.adjustments).map(([id, f]) => `${id} ×${f}`).join(', ') || 'none';
  const repeated = ledger.datasets.filter((r) => r.epochs > 1).sort((x, y) => y.epochs - x.epochs);
  const partial = ledger.datasets.filter((r) => r.epochs < 1).sort((x, y) => x.epochs - y.epochs);
  return [
    `# Mixture of ${configPath}`,
    '',
    `policy ${config.policy}, seed ${config.seed}, adjustments ${adjustments}`,
    `${steps.toLocaleString('en-US')} steps × batch ${batchSize} = ${draws.toLocaleString('en-US')} draws; `
      + `sizes: ${fromIndex} datasets from ${manifestPath}, ${config.datasets.length - fromIndex} given`,
    '',
    formatLedger(ledger),
    '',
    `Repeated: ${repeated.map((r) => `${r.dataset} ×${r.epochs.toFixed(1)}`).join(', ') || 'none'}`,
    `Not read to the end: ${partial.map((r) => `${r.dataset} (${(100 * r.epochs).toFixed(1)}%)`).join(', ') || 'none'}`,
  ].join('\n');
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      steps: { type: 'string', default: String(DEFAULT_STEPS) },
      'batch-size': { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
      manifest: { type: 'string', default: DEFAULT_MANIFEST_INDEX },
      sizes: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    throw new Error('usage: tsx pipelines/cli/inspect-mixture.ts <config.json> [--steps N] [--batch-size B] [--manifest index.json] [--sizes sizes.json]');
  }
  console.log(inspectMixture({
    configPath: positionals[0],
    steps: Number(values.steps),
    batchSize: Number(values['batch-size']),
    manifestPath: values.manifest,
    sizes: values.sizes === undefined ? undefined : JSON.parse(readFileSync(values.sizes, 'utf8')),
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
