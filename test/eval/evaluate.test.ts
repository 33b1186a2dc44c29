/**
 * npm run eval's core on real shards built from the sample mirror (GQA: generation; VSR: verbalized
 * true/false ranking; MSVD-QA: 4-frame video ranked over its answer vocabulary; Hateful Memes:
 * P(yes) for the AUC) with a tiny model.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { readSplit } from '../../pipelines/shards/shard-reader.ts';
import type { DatasetResult } from '../../trainer/eval/evaluate-dataset.ts';
import { type EvaluateResult, evaluate } from '../../trainer/eval/evaluate.ts';
import { scoreDataset } from '../../trainer/eval/metrics/index.ts';
import type { PredictionLine } from '../../trainer/eval/prediction-line.ts';
import { createDatasetProgress } from '../../trainer/eval/progress.ts';
import { readSummary } from '../../trainer/eval/summary.ts';
import { buildEvalFixture, EVAL_DATASETS, type EvalFixture, writeRun } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'eval-run-'));
const LIMIT = 4;
let fx: EvalFixture;
let runDir: string;
let run: EvaluateResult;
const logged: string[] = [];

const quiet = { log: (line: string) => logged.push(line), progress: createDatasetProgress(process.stderr, (line) => logged.push(line)) };
const common = { limit: LIMIT, batchSize: 2, backend: 'cpu' as const, imageWorkers: 1, ...quiet };

function jsonl(file: string): PredictionLine[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PredictionLine);
}

const result = (dataset: string, variant = 'model'): DatasetResult => run.summary.results.find((r) => r.dataset === dataset && r.variant === variant)!;

before(async () => {
  fx = await buildEvalFixture(root, [...EVAL_DATASETS, 'hateful-memes']);
  runDir = writeRun(fx, 'tiny');
  run = await evaluate({ run: runDir, raw: fx.raw, ...common });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('every built held-out dataset is evaluated, with the model and with blank images, by its metric', () => {
  const datasets = ['gqa', 'vsr', 'msvd-qa', 'hateful-memes'];
  assert.deepEqual(run.summary.results.map((r) => `${r.dataset}/${r.variant}`), datasets.flatMap((d) => [`${d}/model`, `${d}/no-image`]));
  assert.deepEqual(datasets.map((d) => result(d).metric), ['exact-match', 'top1-accuracy', 'top1-accuracy', 'roc-auc']);
  for (const r of run.summary.results) {
    assert.equal(r.n, LIMIT);
    assert.ok(r.available > LIMIT);
    assert.ok(Number.isFinite(r.score) && r.score >= 0 && r.score <= 100);
    assert.equal(r.predicted, LIMIT);
  }
  assert.match(result('gqa').protocol, /5 beams, 1-10 new tokens/);
  assert.match(result('vsr').protocol, /true\/yes vs false\/no/);
  assert.match(result('hateful-memes').protocol, /over yes vs no$/);
  assert.match(result('msvd-qa').vocabulary!, /raw\/msvd-qa\/train_ans2label\.json \(\d+ answers\)/);
  assert.match(run.summary.skipped.nocaps!, /not built.*npm run build-shards -- --datasets nocaps/);
  assert.deepEqual(readSummary(run.evalDir), run.summary);
});

test('the predictions files hold each example once, in split order, with prompt, output, references and score', async () => {
  for (const dataset of ['gqa', 'vsr', 'msvd-qa', 'hateful-memes']) {
    const split = result(dataset).split;
    const ids: string[] = [];
    for await (const record of readSplit(fx, dataset, split)) if (ids.length < LIMIT) ids.push(record.id);
    const lines = jsonl(path.join(run.evalDir, `${dataset}.jsonl`));
    assert.deepEqual(lines.map((l) => l.id), ids);
    for (const line of lines) {
      assert.ok(line.prompt.endsWith('Answer:') || line.prompt.endsWith('answer:'), line.prompt);
      assert.ok(line.references.length > 0);
      assert.equal(typeof line.score, 'number');
    }
    assert.equal(jsonl(path.join(run.evalDir, `${dataset}.no-image.jsonl`)).length, LIMIT);
  }
  const gqa = jsonl(path.join(run.evalDir, 'gqa.jsonl'));
  assert.ok(gqa.every((l) => typeof l.prediction === 'string' && l.generated !== undefined && l.generated.tokens >= 1 && l.generated.tokens <= 10));
  const vsr = jsonl(path.join(run.evalDir, 'vsr.jsonl'));
  assert.ok(vsr.every((l) => (l.prediction === 0 || l.prediction === 1) && l.ranked!.length === 2 && Object.keys(l.ranked!.find((c) => c.text === 'true')!.verbalizers!).join() === 'true,yes'));
  const msvd = jsonl(path.join(run.evalDir, 'msvd-qa.jsonl'));
  assert.ok(msvd.every((l) => l.ranked!.length === 10 && l.prediction === l.ranked![0]!.text));
  const memes = jsonl(path.join(run.evalDir, 'hateful-memes.jsonl'));
  for (const l of memes) {
    const [yes, no] = ['yes', 'no'].map((t) => l.ranked!.find((c) => c.text === t)!.logLikelihood);
    assert.ok(Math.abs((l.prediction as number) - 1 / (1 + Math.exp(no! - yes!))) < 1e-9, 'P(yes) renormalized over yes/no');
  }
});

test('the summary scores are the metric over the predictions file', () => {
  for (const dataset of ['gqa', 'vsr', 'msvd-qa']) {
    const lines = jsonl(path.join(run.evalDir, `${dataset}.jsonl`));
    const truths = lines.map((l) => ({ id: l.id, references: l.references, candidates: dataset === 'vsr' ? ['true', 'false'] : null, answerIndex: dataset === 'vsr' ? ['true', 'false'].indexOf(l.references[0]!) : null, label: null, meta: null }));
    const rescored = scoreDataset(dataset, lines.map((l) => l.prediction), truths);
    assert.equal(rescored.score, result(dataset).score);
    assert.deepEqual(rescored.perExample, lines.map((l) => l.score));
  }
});

test('the table lists all 13 held-out datasets beside the paper\'s numbers, labelled as the paper\'s; the report gets an evaluation section', () => {
  const rows = run.table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| dataset') && !l.startsWith('| ---'));
  assert.equal(rows.length, 13);
  assert.match(run.table, /\| dataset \| split \| metric \| ours \| n \| ours, blank images \| paper: InstructBLIP FlanT5-XL \| paper: InstructBLIP Vicuna-7B \|/);
  assert.ok(rows.some((r) => r.startsWith('| vsr | test | top-1 accuracy |') && r.endsWith('| 64.8 | 54.3 |')));
  assert.ok(rows.some((r) => r.startsWith('| nocaps | - | - | not built |')));
  assert.match(run.table, /the paper's numbers at its scale/);
  const html = readFileSync(run.reportFile, 'utf8');
  assert.ok(html.includes('<section id="evaluation">') && html.includes('paper: InstructBLIP Vicuna-7B') && html.includes('eval/short-answer'));
});

test('a rerun predicts nothing again; a changed vocabulary source starts that dataset over; --checkpoint writes into its run', async () => {
  const again = await evaluate({ checkpoint: path.join(runDir, 'checkpoints', 'step-1'), raw: fx.raw, ...common, datasets: ['gqa', 'msvd-qa'], baseline: false });
  assert.equal(again.evalDir, run.evalDir);
  assert.ok(['gqa', 'msvd-qa'].every((d) => again.summary.results.find((r) => r.dataset === d && r.variant === 'model')!.predicted === 0));
  assert.equal(again.summary.results.length, 8, 'the other results of the same checkpoint are kept');
  assert.equal(again.summary.results.find((r) => r.dataset === 'gqa' && r.variant === 'model')!.score, result('gqa').score);

  const noVocabulary = path.join(root, 'raw-without-vocabulary');
  mkdirSync(noVocabulary, { recursive: true });
  logged.length = 0;
  const fallback = await evaluate({ run: runDir, raw: new RawAccess(() => noVocabulary), ...common, datasets: ['msvd-qa'], baseline: false });
  const msvd = fallback.summary.results.find((r) => r.dataset === 'msvd-qa' && r.variant === 'model')!;
  assert.match(msvd.vocabulary!, /distinct answers of the train split \(\d+\)/);
  assert.equal(msvd.predicted, LIMIT);
  assert.ok(logged.some((l) => l.includes('train_ans2label.json not found')), logged.join('\n'));
  assert.ok(logged.some((l) => l.includes('other settings and are discarded')));
  assert.ok(existsSync(path.join(run.evalDir, 'msvd-qa.settings.json')));
});
