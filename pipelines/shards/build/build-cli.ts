/**
 * `npm run build-shards`: option parsing and the run. Separate from pipelines/cli/build-shards.ts
 * so tests can run it in a child process with their own adapters.
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { CATALOG } from '../../catalog.ts';
import { loadAdapters } from '../../sources/registry.ts';
import type { SourceAdapter } from '../../sources/types.ts';
import { parseByteSize } from '../byte-size.ts';
import { DEFAULT_PART_BYTES } from '../shard-writer.ts';
import { buildShards, DEFAULT_ERROR_BUDGET } from './build-shards.ts';
import { lineProgress, ttyProgress } from './progress.ts';
import { selectDatasets } from './select-datasets.ts';

export const BUILD_USAGE = `Usage: npm run build-shards -- [options]

Runs each dataset's adapter over its raw files and writes Arrow shards
(shards/<dataset>/<split>/part-NNNNN.arrow), images once into the media store (shards/media/),
quarantined records to shards/<dataset>/<split>/quarantine.jsonl, and manifests/<dataset>.json
plus manifests/index.json. A dataset whose raw inputs and adapter version match its manifest is
skipped. With no dataset option, every dataset that has an adapter is built.

  --datasets a,b        catalog dataset ids (e.g. vqav2,gqa)
  --held-in             the held-in (training) datasets
  --held-out            the held-out (zero-shot evaluation) datasets
  --force               rebuild even when up to date
  --raw-dir DIR         raw files and ledgers, as ingest wrote them (default: raw)
  --shards-dir DIR      where shards and the media store go (default: shards)
  --manifests-dir DIR   where manifests go (default: manifests)
  --shard-size SIZE     close a part once it reaches SIZE, e.g. 64MB, 512KB (default: 64MB)
  --batch-rows N        rows per Arrow record batch (default: 4096)
  --error-budget F      largest share of a split that may be quarantined (default: ${DEFAULT_ERROR_BUDGET})
  -h, --help            this text

Exit status: 0 when every chosen dataset is built or up to date; 1 when any failed; 2 on bad usage.
`;

export interface BuildCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The adapters to build with; by default the registry's (pipelines/sources/). */
  loadAdapters?: () => Promise<SourceAdapter[]>;
  /** A step the caller runs after a successful build, with string options of its own (checked before building). */
  afterBuild?: AfterBuild;
}

export interface AfterBuild {
  /** Option names (string-valued) it takes, beside build-shards' own. */
  options: readonly string[];
  usage: string;
  /** Checks its options before anything is built; throws for bad usage. */
  check(values: Record<string, string | undefined>): void;
  run(values: Record<string, string | undefined>, dirs: { shardsDir: string; manifestsDir: string }): Promise<number>;
}

class UsageError extends Error {}

function numberOption(name: string, text: string | undefined, fallback: number, valid: (n: number) => boolean, what: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || !valid(n)) throw new UsageError(`--${name} must be ${what}, got "${text}"`);
  return n;
}

function parseOptions(argv: string[], after: AfterBuild | undefined) {
  const extra = Object.fromEntries((after?.options ?? []).map((name) => [name, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      datasets: { type: 'string' },
      'held-in': { type: 'boolean', default: false },
      'held-out': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'raw-dir': { type: 'string', default: 'raw' },
      'shards-dir': { type: 'string', default: 'shards' },
      'manifests-dir': { type: 'string', default: 'manifests' },
      'shard-size': { type: 'string' },
      'batch-rows': { type: 'string' },
      'error-budget': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...extra,
    },
  });
  return values;
}

async function run(argv: string[], io: BuildCliIo): Promise<number> {
  const after = io.afterBuild;
  const options = parseOptions(argv, after);
  if (options.help) {
    io.stdout.write(after === undefined ? BUILD_USAGE : `${BUILD_USAGE}\n${after.usage}`);
    return 0;
  }
  const afterValues = Object.fromEntries((after?.options ?? []).map((name) => [name, (options as Record<string, unknown>)[name] as string | undefined]));
  try {
    after?.check(afterValues);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let partBytes: number;
  try {
    partBytes = options['shard-size'] === undefined ? DEFAULT_PART_BYTES : parseByteSize(options['shard-size']);
  } catch (err) {
    throw new UsageError(`--shard-size: ${(err as Error).message}`);
  }
  const batchRows = numberOption('batch-rows', options['batch-rows'], 4096, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
  const errorBudget = numberOption('error-budget', options['error-budget'], DEFAULT_ERROR_BUDGET, (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1');
  const adapters = await (io.loadAdapters ?? loadAdapters)();
  let selection;
  try {
    const datasets = (options.datasets ?? '').split(',').map((d) => d.trim()).filter((d) => d.length > 0);
    selection = selectDatasets({ datasets, heldIn: options['held-in'], heldOut: options['held-out'] }, CATALOG, adapters);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const line = (text: string) => io.stdout.write(`${text}\n`);
  if (selection.withoutAdapter.length > 0) line(`no adapter yet, not built: ${selection.withoutAdapter.join(', ')}`);
  if (selection.build.length === 0) line('nothing to build: no chosen dataset has an adapter');
  const report = await buildShards({
    adapters,
    datasets: selection.build,
    rawDir: options['raw-dir'],
    shardsDir: options['shards-dir'],
    manifestsDir: options['manifests-dir'],
    force: options.force,
    sizes: { partBytes, batchRows },
    errorBudget,
    progress: io.stderr.isTTY ? ttyProgress() : lineProgress(line),
    log: line,
  });
  const failed = report.results.filter((r) => r.status === 'failed');
  const built = report.results.filter((r) => r.status === 'built').length;
  const current = report.results.filter((r) => r.status === 'up-to-date').length;
  line(`build-shards: ${built} built, ${current} up to date, ${failed.length} failed${failed.length > 0 ? ` (${failed.map((r) => r.dataset).join(', ')})` : ''}`);
  if (failed.length > 0) return 1;
  return after === undefined ? 0 : after.run(afterValues, { shardsDir: options['shards-dir'], manifestsDir: options['manifests-dir'] });
}

/** Runs build-shards and returns the exit status; errors are printed, not thrown. */
export async function runBuildShardsCli(argv: string[], io: BuildCliIo): Promise<number> {
  // Records wait in flight early in a pass (for their first images, for the sha256 of their source
  // file), and V8 reads their survival as a reason to allocate every later record of the same
  // shape straight into the old generation, where each keeps its young strings and arrays alive
  // through the next scavenges. Records die young: at VQAv2 scale this flag cut the young-GC time
  // five-fold.
  setFlagsFromString('--no-allocation-site-pretenuring');
  try {
    return await run(argv, io);
  } catch (err) {
    const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    io.stderr.write(`build-shards: ${(err as Error).message}\n`);
    if (usage) io.stderr.write(`\n${BUILD_USAGE}${io.afterBuild === undefined ? '' : `\n${io.afterBuild.usage}`}`);
    return usage ? 2 : 1;
  }
}
