import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createTrainingStream } from '../../pipelines/stream/index.ts';
import { LM_PREFIX } from '../../trainer/model/instructblip.ts';
import { readSafetensorsFile, writeSafetensorsFile } from '../../trainer/weights.ts';
import { AdamW } from '../../trainer/train/adamw.ts';
import { batchTensors, disposeBatch } from '../../trainer/train/batch-tensors.ts';
import { buildModel, optimizedParams } from '../../trainer/train/build-model.ts';
import { CHECKPOINT_FILES, listCheckpoints, readCheckpoint } from '../../trainer/train/checkpoint.ts';
import { parseTrainConfig, type TrainConfig } from '../../trainer/train/config.ts';
import { ImageFeatures } from '../../trainer/train/image-features.ts';
import { LM_FILES, readLmFolder } from '../../trainer/train/lm-folder.ts';
import { readMetrics, type TrainRecord } from '../../trainer/train/metrics.ts';
import { optimizerStep } from '../../trainer/train/step.ts';
import { GradientSum } from '../../trainer/train/gradients.ts';
import { bertUncasedTokenizer } from '../../trainer/train/tokenizers.ts';
import { NonFiniteLossError, train } from '../../trainer/train/train.ts';
import { VISION_LAYERNORM_PREFIX } from '../../trainer/train/model.ts';
import { buildTrainFixture, type TrainFixture } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'train-loop-'));
let fx: TrainFixture;
let runDir: string;
const quiet = () => undefined;

before(async () => {
  fx = await buildTrainFixture(root);
  runDir = path.join(root, 'runs', 'tiny');
  await train({ config: fx.config, runDir, resume: false, force: false, log: quiet, progressEvery: 1000 });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('optimizer steps change the trainable set only: vision encoder and LM stay bit-identical', async () => {
  const lm = readLmFolder(fx.lmDir);
  const qformer = bertUncasedTokenizer();
  const model = buildModel(fx.config.model, lm, qformer.vocabSize);
  const snapshot = (trainable: boolean) => new Map([...model.params.specs.values()].filter((s) => s.trainable === trainable).map((s) => [s.name, Float32Array.from(model.params.get(s.name).dataSync())]));
  const frozen = snapshot(false);
  const trainable = snapshot(true);
  const optimizer = new AdamW(optimizedParams(model), fx.config.train.adamw);
  const stream = await createTrainingStream({
    shardsDir: fx.shardsDir, manifestsDir: fx.manifestsDir, mixture: fx.config.mixture, tokenizers: { qformer, lm: lm.tokenizer },
    batchSize: 2, imageSize: 32, limits: fx.config.data.limits, imageWorkers: 1,
  });
  const features = new ImageFeatures(model, true);
  const tensorsAfterStep: number[] = [];
  try {
    for (let step = 0; step < 3; step++) {
      const batch = await stream.next();
      const micro = batchTensors(batch, features.forBatch(batch), true);
      const outcome = optimizerStep({ model, optimizer, seed: 1, clipGradNorm: 1, gradients: new GradientSum() }, [micro], step, 1e-3);
      disposeBatch(micro);
      assert.ok(outcome.finite);
      tensorsAfterStep.push(tf.memory().numTensors);
    }
  } finally {
    await stream.close();
  }
  assert.deepEqual(tensorsAfterStep, [tensorsAfterStep[0], tensorsAfterStep[0], tensorsAfterStep[0]], 'a step leaves no tensor behind');
  const vision = [...frozen.keys()].filter((n) => n.startsWith('vision_model.'));
  const language = [...frozen.keys()].filter((n) => n.startsWith(LM_PREFIX));
  assert.ok(vision.length > 0 && language.length > 0);
  for (const [name, values] of frozen) assert.deepEqual(model.params.get(name).dataSync(), values, `frozen ${name} changed`);
  for (const name of [`${VISION_LAYERNORM_PREFIX}weight`, 'query_tokens', 'language_projection.weight', 'qformer.encoder.layer.0.crossattention.attention.query.weight']) {
    assert.ok(trainable.has(name), `${name} is trainable`);
    assert.notDeepEqual(model.params.get(name).dataSync(), trainable.get(name), `${name} was updated`);
  }
  assert.deepEqual([...frozen.values()].length + [...trainable.values()].length, model.params.specs.size);
  model.params.dispose();
});

test('a run logs every step, validates held-in datasets, keeps the last K checkpoints with HF names, moments and the ledger', () => {
  const metrics = readMetrics(path.join(runDir, 'metrics.jsonl'));
  const steps = metrics.filter((r): r is TrainRecord => r.kind === 'train');
  assert.deepEqual(steps.map((r) => r.step), [1, 2, 3, 4, 5, 6]);
  assert.ok(steps.every((r) => Number.isFinite(r.loss) && r.loss > 0 && r.examples === r.step * 4));
  assert.equal(steps[0]!.lr, 1e-8, 'warmup starts at warmupStartLr');
  const val = metrics.filter((r) => r.kind === 'val');
  assert.deepEqual(val.map((r) => r.step), [3, 6]);
  assert.deepEqual(Object.keys((val[0] as { losses: object }).losses), ['vqav2'], 'only datasets with a val split');

  const checkpoints = listCheckpoints(path.join(runDir, 'checkpoints'));
  assert.deepEqual(checkpoints.map((c) => c.step), [4, 6], 'keepCheckpoints 2');
  const last = readCheckpoint(checkpoints[1]!.dir);
  assert.equal(last.state.step, 6);
  assert.equal(last.state.optimizerUpdates, 6);
  assert.equal(last.state.sampler.next, 24, '6 steps x 4 examples drawn');
  assert.ok(Object.keys(last.state.data.datasets).includes('vqav2'));
  const names = [...last.weights.keys()];
  assert.ok(names.includes(`${VISION_LAYERNORM_PREFIX}weight`) && names.includes('query_tokens') && names.includes('language_projection.weight'));
  assert.ok(!names.some((n) => n.startsWith(LM_PREFIX) || (n.startsWith('vision_model.') && !n.startsWith(VISION_LAYERNORM_PREFIX))), 'frozen weights are not checkpointed');
  assert.deepEqual(last.weights.get('language_projection.weight')!.shape, [16, 16], 'HF layout [out, in]');
  assert.ok(last.optimizer.has('query_tokens.exp_avg') && last.optimizer.has('query_tokens.exp_avg_sq'));
  const ledger = JSON.parse(readFileSync(path.join(checkpoints[1]!.dir, CHECKPOINT_FILES.ledger), 'utf8'));
  assert.equal(ledger.observed.draws, 24);
  assert.deepEqual(ledger.observed.datasets.map((d: { dataset: string }) => d.dataset), ['coco-caption', 'vqav2']);
});

test('a config that trains on a held-out dataset is refused before anything runs', () => {
  const json = JSON.parse(readFileSync(fx.configFile, 'utf8'));
  json.mixture.datasets = ['vqav2', 'gqa'];
  assert.throws(() => parseTrainConfig(json, 'bad.json'), /bad\.json: mixture\.datasets: .*"gqa" is held out/);
});

function copyRun(name: string): string {
  const dir = path.join(root, 'copies', name);
  cpSync(runDir, dir, { recursive: true });
  return dir;
}

test('resume refuses a changed config, naming what changed, unless forced', async () => {
  const dir = copyRun('changed-config');
  const changed: TrainConfig = { ...fx.config, train: { ...fx.config.train, clipGradNorm: 2 } };
  await assert.rejects(train({ config: changed, runDir: dir, resume: true, force: false, log: quiet }), /config changed: train\.clipGradNorm: 1 -> 2[\s\S]*--force/);
});

test('resume refuses changed shards, naming the dataset', async () => {
  const dir = copyRun('changed-data');
  const manifests = path.join(root, 'manifests-changed');
  cpSync(fx.manifestsDir, manifests, { recursive: true });
  const file = path.join(manifests, 'vqav2.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  manifest.splits.train.shards[0].sha256 = 'f'.repeat(64);
  writeFileSync(file, JSON.stringify(manifest));
  const config: TrainConfig = { ...fx.config, data: { ...fx.config.data, manifestsDir: manifests } };
  await assert.rejects(train({ config, runDir: dir, resume: true, force: false, log: quiet }), /data changed: datasets\.vqav2\.train\./);
});

test('resume from a missing or corrupt checkpoint is a clear error', async () => {
  await assert.rejects(train({ config: fx.config, runDir: path.join(root, 'nothing-here'), resume: true, force: false, log: quiet }), /no checkpoint to resume from/);
  const dir = copyRun('corrupt');
  const weights = path.join(dir, 'checkpoints', 'step-6', CHECKPOINT_FILES.weights);
  const bytes = readFileSync(weights);
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(weights, bytes);
  await assert.rejects(train({ config: fx.config, runDir: dir, resume: true, force: false, log: quiet }), /step-6: model\.safetensors is corrupt/);
  await assert.rejects(train({ config: fx.config, runDir: dir, resume: false, force: false, log: quiet }), /already holds a run/);
});

test('a NaN loss stops the run with the step and the batch\'s record ids, keeping the last good checkpoint', async () => {
  const badLm = path.join(root, 'lm-nan');
  cpSync(fx.lmDir, badLm, { recursive: true });
  const { tensors } = readSafetensorsFile(path.join(badLm, LM_FILES.weights));
  const table = tensors.get('model.embed_tokens.weight')!;
  (table.values as Float32Array).fill(Number.NaN);
  await writeSafetensorsFile(path.join(badLm, LM_FILES.weights), [...tensors].map(([name, t]) => ({ name, shape: t.shape, values: t.values })));
  const dir = copyRun('nan');
  const config: TrainConfig = { ...fx.config, model: { ...fx.config.model, lm: { checkpoint: badLm } }, train: { ...fx.config.train, steps: 8 } };
  const error = await train({ config, runDir: dir, resume: true, force: true, log: quiet }).then(() => null, (e: Error) => e);
  assert.ok(error instanceof NonFiniteLossError, String(error));
  assert.equal(error.step, 7);
  assert.equal(error.recordIds.length, 4);
  assert.match(error.message, /step 7: loss NaN[\s\S]*Records of the batch: (coco-caption|vqav2)\/train\//);
  assert.deepEqual(listCheckpoints(path.join(dir, 'checkpoints')).map((c) => c.step), [4, 6]);
  assert.ok(!existsSync(path.join(dir, 'checkpoints', 'step-7')));
  tf.disposeVariables();
});
