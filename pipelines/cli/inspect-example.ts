/**
 * `tsx pipelines/cli/inspect-example.ts --example <record id> [--mixture <config>] [--epoch E]`
 * `tsx pipelines/cli/inspect-example.ts --draw <n> --mixture <trainer config.json>`
 *     [--shards DIR] [--manifests DIR] [--json]
 *
 * Prints where a training example came from: draw, dataset, shard row, raw file and its sha256,
 * record position, adapter version, template and rendered text (pipelines/provenance/trace.ts).
 * A row of a mixture export carries its draw index n: pass it as --draw with the same config.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readDataLock } from '../lock/data-lock.ts';
import { loadMixtureConfig } from '../mixture/index.ts';
import { formatChain } from '../provenance/format-chain.ts';
import { type ProvenanceChain, traceDraw, traceRecord } from '../provenance/trace.ts';

export interface InspectExampleOptions {
  shardsDir?: string;
  manifestsDir?: string;
  /** A record id: its examples at `epoch`, under the mixture's seed when `mixture` is given (else 0). */
  example?: string;
  /** A draw index of `mixture`. */
  draw?: number;
  /** A trainer config with a `mixture` section. */
  mixture?: string;
  epoch?: number;
  json?: boolean;
}

const USAGE = 'usage: inspect-example --example <record id> [--mixture <config>] [--epoch E] | --draw <n> --mixture <config>  [--shards DIR] [--manifests DIR] [--json]';

/** The provenance chain of one example, as text (or JSON); what `npm run inspect -- --example <id>` prints. */
export async function inspectExample(options: InspectExampleOptions): Promise<string> {
  const dirs = { shardsDir: options.shardsDir ?? 'shards', manifestsDir: options.manifestsDir ?? 'manifests' };
  if ((options.example === undefined) === (options.draw === undefined)) throw new Error(`give either --example or --draw\n${USAGE}`);
  let chain: ProvenanceChain;
  if (options.draw !== undefined) {
    if (!options.mixture) throw new Error(`--draw needs --mixture <trainer config.json>\n${USAGE}`);
    chain = await traceDraw(dirs, options.mixture, options.draw);
  } else {
    const seed = options.mixture ? loadMixtureConfig(options.mixture).seed : 0;
    chain = await traceRecord(dirs, options.example!, { seed, epoch: options.epoch ?? 0 });
  }
  const lock = readDataLock(dirs.manifestsDir)?.hash ?? null;
  return options.json ? JSON.stringify({ ...chain, dataLock: lock }, null, 2) : formatChain(chain, lock);
}

function nonNegative(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export async function runInspectExampleCli(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      example: { type: 'string' }, draw: { type: 'string' }, mixture: { type: 'string' }, epoch: { type: 'string' },
      shards: { type: 'string' }, manifests: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  return inspectExample({
    example: values.example, draw: nonNegative('draw', values.draw), mixture: values.mixture, epoch: nonNegative('epoch', values.epoch),
    shardsDir: values.shards, manifestsDir: values.manifests, json: values.json,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  runInspectExampleCli(process.argv.slice(2)).then(console.log, (err: Error) => {
    console.error(`inspect-example: ${err.message}`);
    process.exitCode = 1;
  });
}
