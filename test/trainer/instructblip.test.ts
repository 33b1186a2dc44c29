import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { instructBlipConfigFromHF } from '../../trainer/model/config.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { type InstructBlip, createInstructBlip, encodeImages, instructBlipLoss, instructBlipSpecs, targetRows } from '../../trainer/model/instructblip.ts';
import { trainStep } from '../../trainer/model/train-step.ts';
import { type Golden, assertClose, assertGradients, loadGolden, tensorOf } from './golden.ts';

function loadModel(name: string): { model: InstructBlip; golden: Golden } {
  const golden = loadGolden(name);
  const cfg = instructBlipConfigFromHF(golden.config);
  assertNoUnexpected(golden.params, name, instructBlipSpecs(cfg).map((s) => s.name));
  return { model: createInstructBlip(cfg, checkpointSource(golden.params, name)), golden };
}

function goldenBatch(golden: Golden) {
  const int2d = (name: string) => tensorOf(golden.inputs.get(name), name) as tf.Tensor2D;
  return {
    pixelValues: tensorOf(golden.inputs.get('pixel_values')),
    qformerInputIds: int2d('qformer_input_ids'),
    qformerAttentionMask: int2d('qformer_attention_mask'),
    inputIds: int2d('input_ids'),
    attentionMask: int2d('attention_mask'),
    labels: int2d('labels'),
  };
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const name of ['instructblip', 'instructblip-video']) {
    test(`${name}: loss and trainable gradients match the PyTorch reference on ${backend}`, async (t) => {
      await initBackend({ backend, threads: 1 });
      const { model, golden } = loadModel(name);
      const { pixelValues, ...tokens } = goldenBatch(golden);
      const batch = { ...tokens, imageFeatures: encodeImages(model, pixelValues) };
      const lossError = assertClose('loss', instructBlipLoss(model, batch).reshape([1]), golden.outputs.get('loss'), 1e-4);
      const { worst, count } = assertGradients(model.params, () => instructBlipLoss(model, batch), golden);
      assert.equal(count, model.params.trainable().length);
      t.diagnostic(`loss ${lossError.toExponential(1)}, ${count} trainable gradients worst ${worst.toExponential(1)}`);
      model.params.dispose();
    });
  }
}

test('a training step updates every trainable parameter and leaves every frozen one bit-identical', async () => {
  await initBackend({ backend: 'wasm', threads: 1 });
  const { model, golden } = loadModel('instructblip');
  const snapshot = (trainable: boolean) =>
    new Map([...model.params.variables].filter(([, v]) => v.trainable === trainable).map(([n, v]) => [n, Float32Array.from(v.dataSync())]));
  const frozenBefore = snapshot(false);
  const trainableBefore = snapshot(true);
  const optimizer = tf.train.adam(1e-3);
  const batch = goldenBatch(golden);
  const { pixelValues, ...tokens } = batch;
  const evalLoss = () => tf.tidy(() => instructBlipLoss(model, { ...tokens, imageFeatures: encodeImages(model, pixelValues) }).dataSync()[0]!);
  const lossBefore = evalLoss();
  for (let step = 0; step < 3; step++) trainStep(model, optimizer, batch);
  assert.ok(evalLoss() < lossBefore, 'three Adam steps on one batch lower its (dropout-free) loss');
  for (const [n, before] of frozenBefore) assert.deepEqual(model.params.get(n).dataSync(), before, `frozen ${n} changed`);
  // The last layer's text FFN never reaches the output, so it gets no gradient and stays put.
  const unreached = /qformer\.encoder\.layer\.1\.(intermediate|output)\./;
  for (const [n, before] of trainableBefore) {
    const changed = model.params.get(n).dataSync().some((v, i) => v !== before[i]);
    assert.equal(changed, !unreached.test(n), `trainable ${n}`);
  }
  assert.ok(frozenBefore.size > 0 && trainableBefore.size > 0);
});

test('targetRows: label t is predicted from position promptLength + t - 1; bad labels are named', () => {
  const labels = tf.tensor2d([
    [-100, 5, 6],
    [-100, -100, 7],
  ], undefined, 'int32');
  assert.deepEqual(targetRows(labels, 4, 10), { rows: [4, 5, 7 + 5], targets: [5, 6, 7] });
  assert.throws(() => targetRows(tf.tensor2d([[3, 12]], undefined, 'int32'), 2, 10), /labels\[0\]\[1\] = 12 is neither -100 nor a token id below the LM vocabulary size 10/);
  assert.throws(() => targetRows(tf.tensor2d([[-100, -100]], undefined, 'int32'), 2, 10), /no target token/);
});
