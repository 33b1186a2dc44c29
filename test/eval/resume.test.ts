/**
 * An evaluation interrupted mid-dataset (here by throwing after a batch, the same point a kill
 * leaves: whole lines on disk, maybe a partial one) resumes where it stopped: every record is in
 * the predictions file exactly once and the scores equal an uninterrupted evaluation's.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type EvaluateOptions, evaluate } from '../../trainer/eval/evaluate.ts';
import { createDatasetProgress } from '../../trainer/eval/progress.ts';
import type { EvalSummary } from '../../trainer/eval/summary.ts';
import { buildEvalFixture, type EvalFixture, writeRun } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'eval-resume-'));
const DATASETS = ['gqa', 'vsr'];
let fx: EvalFixture;
const logged: string[] = [];

class Interrupted extends Error {}

function options(runDir: string, afterBatch?: EvaluateOptions['afterBatch']): EvaluateOptions {
  return {
    run: runDir, raw: fx.raw, datasets: DATASETS, limit: 6, batchSize: 2, baseline: false, backend: 'cpu', imageWorkers: 1, afterBatch,
    log: (line) => logged.push(line), progress: createDatasetProgress(process.stderr, (line) => logged.push(line)),
  };
}

/** Throws once `dataset` has `count` predictions made in this session. */
const interruptAt = (dataset: string, count: number): EvaluateOptions['afterBatch'] => (d, made) => {
  if (d === dataset && made >= count) throw new Interrupted(`interrupted after ${made} ${d} examples`);
};

const scores = (s: EvalSummary) => s.results.map(({ dataset, variant, metric, score, n, breakdown }) => ({ dataset, variant, metric, score, n, breakdown }));
const lines = (runDir: string, dataset: string) => readFileSync(path.join(runDir, 'eval', `${dataset}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string });

before(async () => {
  fx = await buildEvalFixture(root, DATASETS);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('interrupted twice (mid-generation, then mid-ranking with a torn line), the evaluation resumes and equals an uninterrupted one', async () => {
  const whole = await evaluate(options(writeRun(fx, 'whole')));
  const cutRun = writeRun(fx, 'cut');

  await assert.rejects(evaluate(options(cutRun, interruptAt('gqa', 2))), Interrupted);
  assert.equal(lines(cutRun, 'gqa').length, 2, 'the batch made before the interruption is on disk');

  await assert.rejects(evaluate(options(cutRun, interruptAt('vsr', 4))), Interrupted);
  assert.equal(lines(cutRun, 'gqa').length, 6);
  assert.equal(lines(cutRun, 'vsr').length, 4);
  appendFileSync(path.join(cutRun, 'eval', 'vsr.jsonl'), '{"id":"vsr/test/');

  logged.length = 0;
  const resumed = await evaluate(options(cutRun));
  assert.ok(logged.some((l) => l.includes('vsr: resuming after 4 of 6 examples')), logged.join('\n'));
  assert.ok(logged.some((l) => l.includes('cut off a partial last line')));
  assert.deepEqual(resumed.summary.results.map((r) => [r.dataset, r.predicted]), [['gqa', 0], ['vsr', 2]]);
  assert.deepEqual(scores(resumed.summary), scores(whole.summary));
  for (const dataset of DATASETS) {
    const cut = lines(cutRun, dataset);
    assert.equal(new Set(cut.map((l) => l.id)).size, 6, `${dataset}: each record once`);
    assert.deepEqual(cut, lines(path.dirname(whole.evalDir), dataset), `${dataset}: the same predictions and scores`);
  }
});
