/**
 * `npm run ingest`: option parsing, source selection, and the run over the chosen sources.
 * Separate from pipelines/cli/ingest.ts so tests can run it with their own adapters and streams.
 */
import { parseArgs } from 'node:util';
import { CATALOG } from '../catalog.ts';
import { loadAdapters } from '../sources/registry.ts';
import type { SourceAdapter } from '../sources/types.ts';
import { createDispatcher } from './http.ts';
import { ingestSource, type IngestSettings, type SourceReport } from './ingest-source.ts';
import { parseMirror } from './mirror.ts';
import { barProgress, lineProgress } from './progress.ts';
import { DEFAULT_RETRY } from './retry.ts';
import { selectSources } from './select-sources.ts';
import { summarize } from './summary.ts';

export const USAGE = `Usage: npm run ingest -- [options]

Fetches the raw files of the chosen datasets into raw/<source>/, verifies them, and writes
raw/<source>/ledger.json. With no dataset option, every source that has an adapter is ingested.
Sources that a chosen source reads from (spec.uses, e.g. COCO's images for VQAv2) come along.

  --datasets a,b       catalog dataset ids (e.g. vqav2,textcaps)
  --held-in            the held-in (training) datasets that have an adapter
  --held-out           the held-out (zero-shot evaluation) datasets that have an adapter
  --mirror M           sample (default): the embedded sample mirror, read in place
                       official: each file's official URL
                       http(s)://base: <base>/<source>/<official path>
                       a folder: <folder>/<source>/<official path>, read in place
  --raw-dir DIR        where raw files and ledgers go (default: raw)
  --concurrency N      URL-list images fetched at once (default: 64)
  --jobs N             files of one source fetched at once (default: 4)
  --retries N          retries per request on 5xx, 429, timeouts, broken connections (default: ${DEFAULT_RETRY.retries})
  --timeout S          seconds to wait for headers, or between two chunks of a body (default: 60)
  --max-image-mb N     largest URL-list image accepted (default: 32)
  --recheck            re-hash files already fetched instead of trusting the ledger
  -h, --help           this text

Exit status: 0 when every required file is there and verified; 1 when any failed; 2 on bad usage.
`;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The adapters to choose from; by default the registry's (pipelines/sources/). */
  loadAdapters?: () => Promise<SourceAdapter[]>;
}

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || (n === 0 && name !== 'retries')) throw new UsageError(`--${name} must be a ${name === 'retries' ? 'non-negative' : 'positive'} integer, got "${value}"`);
  return n;
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      datasets: { type: 'string' },
      'held-in': { type: 'boolean', default: false },
      'held-out': { type: 'boolean', default: false },
      mirror: { type: 'string', default: 'sample' },
      'raw-dir': { type: 'string', default: 'raw' },
      concurrency: { type: 'string' },
      jobs: { type: 'string' },
      retries: { type: 'string' },
      timeout: { type: 'string' },
      'max-image-mb': { type: 'string' },
      recheck: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return values;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const timeoutMs = positiveInt('timeout', options.timeout, 60) * 1000;
  const retries = positiveInt('retries', options.retries, DEFAULT_RETRY.retries);
  const urlConcurrency = positiveInt('concurrency', options.concurrency, 64);
  const fileConcurrency = positiveInt('jobs', options.jobs, 4);
  const maxImageBytes = positiveInt('max-image-mb', options['max-image-mb'], 32) * 1024 * 1024;
  let mirror;
  let adapters: SourceAdapter[];
  let selection;
  try {
    mirror = parseMirror(options.mirror);
    adapters = await (io.loadAdapters ?? loadAdapters)();
    const specs = new Map(adapters.map((a) => [a.spec.source, a.spec]));
    const datasets = (options.datasets ?? '').split(',').map((d) => d.trim()).filter((d) => d.length > 0);
    selection = selectSources({ datasets, heldIn: options['held-in'], heldOut: options['held-out'] }, CATALOG, specs);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const bySource = new Map(adapters.map((a) => [a.spec.source, a]));
  const line = (text: string) => io.stdout.write(`${text}\n`);
  if (selection.withoutAdapter.length > 0) line(`no adapter yet, not ingested: ${selection.withoutAdapter.join(', ')}`);
  if (selection.sources.length === 0) line('nothing to ingest: no chosen dataset has an adapter');

  const dispatcher = createDispatcher(Math.max(urlConcurrency, fileConcurrency));
  const settings: IngestSettings = {
    rawDir: options['raw-dir'],
    mirror,
    http: { dispatcher, headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs, retry: { ...DEFAULT_RETRY, retries } },
    fileConcurrency,
    urlConcurrency,
    maxImageBytes,
    recheck: options.recheck,
    progress: io.stderr.isTTY ? barProgress(io.stderr) : lineProgress(line),
  };
  const reports: SourceReport[] = [];
  try {
    for (const source of selection.sources) reports.push(await ingestSource(bySource.get(source)!, settings));
  } finally {
    await dispatcher.close();
  }
  line(summarize(reports));
  return reports.every((r) => r.ok) ? 0 : 1;
}

/** Runs ingest and returns the exit status; errors are printed, not thrown. */
export async function runIngestCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    io.stderr.write(`ingest: ${(err as Error).message}\n`);
    if (usage) io.stderr.write(`\n${USAGE}`);
    return usage ? 2 : 1;
  }
}
