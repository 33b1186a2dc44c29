/**
 * `npm run inspect`: what is built. Each view (pipelines/shards/inspect/) adds its options and runs
 * when the arguments are its; add a view (e.g. one for `--mixture <config>`) to VIEWS, before the
 * ones it should take precedence over.
 *
 *   npm run inspect [-- <dataset>] [--json] [--shards-dir shards] [--manifests-dir manifests]
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { exampleView } from '../inspect/example-view.ts';
import { mixtureView } from '../inspect/mixture-view.ts';
import { datasetView } from '../shards/inspect/dataset-view.ts';
import type { InspectContext, InspectView } from '../shards/inspect/inspect-view.ts';
import { summaryView } from '../shards/inspect/summary-view.ts';

const VIEWS: InspectView[] = [exampleView, mixtureView, datasetView, summaryView];

const COMMON = {
  json: { type: 'boolean', default: false },
  'shards-dir': { type: 'string', default: 'shards' },
  'manifests-dir': { type: 'string', default: 'manifests' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const USAGE = [
  'Usage:',
  ...VIEWS.flatMap((v) => v.usage.map((line) => `  ${line}`)),
  'Common options:',
  '  --json                         machine-readable output',
  '  --shards-dir DIR               (default: shards)',
  '  --manifests-dir DIR            (default: manifests)',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const options: ParseArgsConfig['options'] = Object.assign({}, COMMON, ...VIEWS.map((v) => v.options));
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options }) as {
    values: InspectContext['values'];
    positionals: string[];
  };
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const context: InspectContext = {
    shardsDir: values['shards-dir'] as string,
    manifestsDir: values['manifests-dir'] as string,
    json: values.json === true,
    values,
    positionals,
    out: (text) => console.log(text),
  };
  const view = VIEWS.find((v) => v.applies(context));
  if (!view) {
    console.error(`inspect: unexpected arguments ${positionals.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  await view.run(context);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(`inspect: ${(err as Error).message}`);
  process.exitCode = 1;
}
