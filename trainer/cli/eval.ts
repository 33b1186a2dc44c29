/**
 * npm run eval -- [--run runs/NAME | --checkpoint DIR] [--datasets a,b] [--limit N] [--batch-size N]
 *   [--candidate-rows N] [--num-beams N] [--no-baseline] [--shards-dir DIR] [--manifests-dir DIR]
 *   [--raw-dir DIR] [--backend B]
 *
 * Zero-shot evaluation of a trained run on the held-out datasets (trainer/eval/evaluate.ts).
 */
import { parseArgs } from 'node:util';
import { HELD_OUT_IDS } from '../../pipelines/catalog.ts';
import { openRawAccess } from '../../pipelines/raw/ledger.ts';
import type { BackendName } from '../backend.ts';
import { DEFAULT_RUN } from '../eval/eval-model.ts';
import { DEFAULT_BATCH_SIZE, DEFAULT_CANDIDATE_ROWS, evaluate } from '../eval/evaluate.ts';
import { CAPTION, SHORT_ANSWER } from '../eval/protocol.ts';

const USAGE = `Usage: npm run eval -- [options]

Evaluates a run's checkpoint zero-shot on the held-out datasets, each with its evaluation prompt and
the paper's protocol: free generation for nocaps, flickr30k (captions: ${CAPTION.numBeams} beams,
${CAPTION.minNewTokens}-${CAPTION.maxNewTokens} new tokens), gqa, vizwiz, textvqa, ivqa (short answers: ${SHORT_ANSWER.numBeams} beams,
${SHORT_ANSWER.minNewTokens}-${SHORT_ANSWER.maxNewTokens} new tokens); log-likelihood ranking for scienceqa, iconqa (options), vsr
(true/yes vs false/no), hateful-memes (yes vs no, P(yes) for AUC), visdial (100 options), msvd-qa and
msrvtt-qa (the answer vocabulary). Writes runs/<name>/eval/<dataset>.jsonl (every prediction, appended
as made: an interrupted evaluation resumes where it stopped), eval/summary.json, prints the table
beside the paper's numbers and adds it to runs/<name>/report.html.

  --run DIR              run folder; its newest checkpoint (default: ${DEFAULT_RUN})
  --checkpoint DIR       a checkpoint folder, runs/<name>/checkpoints/step-N
  --datasets a,b         held-out datasets (default: every built one of ${HELD_OUT_IDS.length})
  --limit N              at most N examples per dataset (the split's first N)
  --batch-size N         examples per forward pass (default: ${DEFAULT_BATCH_SIZE})
  --candidate-rows N     candidates scored per ranking pass (default: ${DEFAULT_CANDIDATE_ROWS})
  --num-beams N          beams for generation (default: ${CAPTION.numBeams}; 1 = greedy)
  --no-baseline          skip the blank-image baseline (the same model with blank images)
  --shards-dir DIR       default: the run config's data.shardsDir
  --manifests-dir DIR    default: the run config's data.manifestsDir
  --raw-dir DIR          raw files, for the video QA answer vocabularies (default: raw)
  --backend B            tensorflow-gpu, tensorflow, wasm or cpu (default: the run's, else the best installed)
  -h, --help             this text

Exit status: 0 when every chosen dataset was evaluated; 1 when something failed; 2 on bad usage.`;

class UsageError extends Error {}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

function datasetList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const datasets = text.split(',').map((d) => d.trim()).filter((d) => d !== '');
  const unknown = datasets.filter((d) => !HELD_OUT_IDS.includes(d));
  if (unknown.length > 0) throw new UsageError(`--datasets: not held-out dataset(s): ${unknown.join(', ')}; the held-out datasets are ${HELD_OUT_IDS.join(', ')}`);
  if (datasets.length === 0) throw new UsageError('--datasets needs at least one dataset');
  return datasets;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      run: { type: 'string' },
      checkpoint: { type: 'string' },
      datasets: { type: 'string' },
      limit: { type: 'string' },
      'batch-size': { type: 'string' },
      'candidate-rows': { type: 'string' },
      'num-beams': { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      'shards-dir': { type: 'string' },
      'manifests-dir': { type: 'string' },
      'raw-dir': { type: 'string', default: 'raw' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const backend = values.backend;
  if (backend !== undefined && !['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be tensorflow-gpu, tensorflow, wasm or cpu, got "${backend}"`);
  const { table, evalDir, reportFile } = await evaluate({
    run: values.run,
    checkpoint: values.checkpoint,
    datasets: datasetList(values.datasets),
    limit: positiveInt(values.limit, '--limit'),
    batchSize: positiveInt(values['batch-size'], '--batch-size'),
    candidateRows: positiveInt(values['candidate-rows'], '--candidate-rows'),
    numBeams: positiveInt(values['num-beams'], '--num-beams'),
    baseline: !values['no-baseline'],
    shardsDir: values['shards-dir'],
    manifestsDir: values['manifests-dir'],
    raw: openRawAccess(values['raw-dir']),
    backend: backend as BackendName | undefined,
  });
  console.log(`\n${table}\n\npredictions and summary: ${evalDir}\nreport: ${reportFile}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`eval: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`eval: ${err.message}`);
      process.exitCode = 1;
    }
  },
);
