/**
 * `npm run export -- --format <parquet|hf|lavis|llava|webdataset> [--datasets a,b] [--splits s,t]
 *     [--mixture <config.json> --examples N] [--out DIR] [--seed S] [--shards DIR] [--manifests DIR]
 *     [--shard-bytes B] [--shard-count N]`
 *
 * Exports built shards (whole splits) or the first N draws of a trainer config's mixture, in the
 * order the sampler draws them. pipelines/export/README.md describes every format.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { barProgress, lineProgress } from '../fetch/progress.ts';
import { EXPORT_FORMATS, type ExportFormat, runExport } from '../export/run-export.ts';
import { formatBytes } from '../fetch/units.ts';

const USAGE = `usage: npm run export -- --format <${EXPORT_FORMATS.join('|')}> [--datasets a,b] [--splits s,t]
    [--mixture <trainer config.json> --examples N] [--out DIR] [--seed S]
    [--shards DIR] [--manifests DIR] [--shard-bytes B] [--shard-count N]   (webdataset shard bounds)`;

const list = (values: string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export async function runExportCli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      datasets: { type: 'string', multiple: true },
      splits: { type: 'string', multiple: true },
      mixture: { type: 'string' },
      examples: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      shards: { type: 'string', default: 'shards' },
      manifests: { type: 'string', default: 'manifests' },
      'shard-bytes': { type: 'string' },
      'shard-count': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) throw new Error(`--format is required, one of ${EXPORT_FORMATS.join(', ')}\n${USAGE}`);
  if ((values.mixture === undefined) !== (values.examples === undefined)) throw new Error(`--mixture and --examples go together\n${USAGE}`);
  const examples = integer('examples', values.examples);
  const summary = await runExport({
    format,
    shardsDir: values.shards!,
    manifestsDir: values.manifests!,
    outDir: values.out ?? `runs/exports/${format}${values.mixture ? '-mixture' : ''}`,
    datasets: list(values.datasets),
    splits: list(values.splits),
    mixture: values.mixture ? { config: values.mixture, examples: examples! } : undefined,
    seed: integer('seed', values.seed),
    webdataset: { maxBytes: integer('shard-bytes', values['shard-bytes']), maxCount: integer('shard-count', values['shard-count']) },
    progress: process.stderr.isTTY ? barProgress(process.stderr) : lineProgress((line) => console.error(line)),
  });
  const bytes = summary.files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`exported ${summary.items} ${format} items to ${summary.outDir}: ${summary.files.length} files, ${formatBytes(bytes)}; data lock ${summary.dataLock.slice(0, 16)}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  runExportCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (err: Error) => {
    console.error(`export: ${err.message}`);
    process.exitCode = 1;
  });
}
