/**
 * Inputs that would make an evaluation wrong are refused by name before the model runs; an empty
 * generation is not an input problem: it scores 0 and stays in the predictions.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { datasetInfo } from '../../pipelines/catalog.ts';
import { loadTemplateLibrary } from '../../pipelines/format/index.ts';
import { MediaReader } from '../../pipelines/media/media-reader.ts';
import { type DatasetManifest, MANIFEST_FORMAT, readDatasetManifest, writeDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { ShardWriter } from '../../pipelines/shards/shard-writer.ts';
import { PixelPool } from '../../pipelines/stream/index.ts';
import { loadAnswerVocabulary } from '../../trainer/eval/answer-vocabulary.ts';
import { loadEvalModel } from '../../trainer/eval/eval-model.ts';
import { evaluateDataset, prepareSplit } from '../../trainer/eval/evaluate-dataset.ts';
import { evaluate } from '../../trainer/eval/evaluate.ts';
import { EvalImageFeatures } from '../../trainer/eval/image-features.ts';
import { createDatasetProgress } from '../../trainer/eval/progress.ts';
import { CandidateEncoder } from '../../trainer/eval/prompt-tokens.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { fixtureRecord } from '../format/fixtures.ts';
import { buildEvalFixture, type EvalFixture, writeRun } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'eval-bad-'));
let fx: EvalFixture;
let runDir: string;
const quiet = { log: () => undefined, progress: createDatasetProgress(process.stderr, () => undefined), backend: 'cpu' as const, imageWorkers: 1, baseline: false };

/** vizwiz/val with its answers withheld, as the test-dev split ships. */
async function writeWithheldVizwiz(): Promise<void> {
  const image = fixtureRecord('gqa').images[0]!;
  const writer = new ShardWriter({ shardsDir: fx.shardsDir, dataset: 'vizwiz', split: 'val', batchRows: 4, partBytes: 1 << 20 });
  for (let i = 0; i < 3; i++) await writer.append(fixtureRecord('vizwiz', { answers: [], answerWeights: [], images: [image] }, String(i)));
  const info = datasetInfo('vizwiz');
  const manifest: DatasetManifest = {
    format: MANIFEST_FORMAT, dataset: 'vizwiz', title: info.title, category: info.category, task: info.task, heldOut: true, license: info.license,
    citation: info.citation, source: info.source, adapterVersion: 'test', rawInputs: [],
    splits: { val: { records: 3, quarantined: { total: 0, reasons: {}, file: null }, skipped: {}, shards: await writer.finish() } },
    media: { imagesReferenced: 0, newImagesStored: 0, newImageBytes: 0, videos: 0 }, builtAt: new Date(0).toISOString(), buildSeconds: 0,
  };
  await writeDatasetManifest(fx.manifestsDir, manifest);
}

before(async () => {
  fx = await buildEvalFixture(root, ['gqa', 'msvd-qa']);
  runDir = writeRun(fx, 'tiny');
  await writeWithheldVizwiz();
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a checkpoint missing trainable tensors is refused, naming them', async () => {
  const dropped = (name: string) => name === 'query_tokens' || name.startsWith('qformer.encoder.layer.1.crossattention.');
  const broken = writeRun(fx, 'broken', { edit: (weights) => weights.filter((t) => !dropped(t.name)) });
  await assert.rejects(evaluate({ run: broken, raw: fx.raw, ...quiet }), (err: Error) => {
    assert.match(err.message, /model\.safetensors is missing \d+ of the model's \d+ trainable tensors: /);
    assert.ok(err.message.includes('query_tokens') && err.message.includes('qformer.encoder.layer.1.crossattention.attention.query.weight'), err.message);
    return true;
  });
});

test('a dataset that is not built is refused, naming it and the command that builds it', async () => {
  await assert.rejects(evaluate({ run: runDir, raw: fx.raw, datasets: ['gqa', 'vsr'], ...quiet }), (err: Error) => {
    assert.match(err.message, /held-out dataset "vsr" is not built/);
    assert.ok(err.message.includes('npm run build-shards -- --datasets vsr'), err.message);
    return true;
  });
  assert.ok(!existsSync(path.join(runDir, 'eval', 'gqa.jsonl')), 'nothing ran before the refusal');
  await assert.rejects(evaluate({ run: runDir, raw: fx.raw, manifestsDir: path.join(root, 'no-manifests'), ...quiet }), /no held-out dataset is built .*npm run build-shards -- --held-out/);
});

test('a held-out split without reference answers is refused, naming the split and records', async () => {
  await assert.rejects(evaluate({ run: runDir, raw: fx.raw, datasets: ['gqa', 'vizwiz'], ...quiet }), (err: Error) => {
    assert.match(err.message, /vizwiz split "val": none of its 3 records has reference answers/);
    assert.ok(err.message.includes('vizwiz/val/0'), err.message);
    return true;
  });
  assert.ok(!existsSync(path.join(runDir, 'eval', 'gqa.jsonl')) && !existsSync(path.join(runDir, 'eval', 'vizwiz.jsonl')), 'nothing ran before the refusal');
});

test('with neither the answer vocabulary file nor a train split, video QA is refused with what to do', async () => {
  const manifest = readDatasetManifest(fx.manifestsDir, 'msvd-qa')!;
  const testOnly = { ...manifest, splits: { test: manifest.splits.test! } };
  const empty = new RawAccess(() => path.join(root, 'nothing-here'));
  await assert.rejects(loadAnswerVocabulary(testOnly, [], empty, fx, () => undefined), /no answer vocabulary to rank over: raw\/msvd-qa\/train_ans2label\.json is missing and the train split is not built; run npm run ingest/);
});

test('an empty generation scores 0 and is kept in the predictions', async () => {
  const loaded = await loadEvalModel(path.join(runDir, 'checkpoints', 'step-1'), () => undefined, 'cpu');
  const media = await MediaReader.open(fx.shardsDir);
  const pool = new PixelPool(1);
  const evalDir = path.join(root, 'empty-eval');
  try {
    const { config, model } = loaded;
    const predictor = {
      model, tokenizers: loaded.tokenizers, decode: () => '', limits: config.data.limits, candidateRows: 64,
      features: new EvalImageFeatures(model, { media, pool, imageSize: config.data.imageSize }), candidates: new CandidateEncoder(loaded.tokenizers, config.data.limits),
    };
    const ctx = {
      dirs: fx, raw: fx.raw, library: loadTemplateLibrary(), evalDir, checkpoint: loaded.checkpoint, imageSize: config.data.imageSize,
      batchSize: 2, numBeams: 1, progress: quiet.progress, log: quiet.log,
    };
    const result = await evaluateDataset(ctx, predictor, await prepareSplit(ctx, 'gqa', 3), 'model');
    assert.equal(result.score, 0);
    assert.equal(result.emptyPredictions, 3);
    const lines = readFileSync(path.join(evalDir, 'gqa.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.equal(line.prediction, '');
      assert.equal(line.score, 0);
      assert.ok(line.generated.tokens >= 1, 'the model did generate tokens; they decode to nothing');
    }
  } finally {
    await pool.close();
    await media.close();
    loaded.model.params.dispose();
  }
});
