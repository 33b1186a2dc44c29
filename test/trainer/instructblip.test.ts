import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { type InstructBlipConfig, instructBlipConfigFromHF } from '../../trainer/model/config.ts';
import { meanCrossEntropy } from '../../trainer/model/cross-entropy.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import {
  type InstructBlip,
  type InstructBlipBatch,
  IGNORE_INDEX,
  createInstructBlip,
  encodeImages,
  instructBlipLoss,
  instructBlipSpecs,
  lmInputs,
  predictingWindow,
  softPrompt,
  targetRows,
} from '../../trainer/model/instructblip.ts';
import { lmHead, llamaForward } from '../../trainer/model/llama.ts';
import { withDropoutSeeds } from '../../trainer/model/layers.ts';
import { trainStep } from '../../trainer/model/train-step.ts';
import { assertSameGradients, assertSameValues, wideInit } from './equivalence.ts';
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

test('predictingWindow: the smallest window holding every predicting row, rows renumbered into it', () => {
  // Two examples of 10 positions: rows at positions 4, 5 (example 0) and 7 (example 1).
  assert.deepEqual(predictingWindow([4, 5, 17], 10), { window: [4, 8], rows: [0, 1, 4 + 3] });
  assert.deepEqual(predictingWindow([3], 10), { window: [3, 4], rows: [0] });
});

/** The loss as computed before the LM window: every position through the last layer, then the gather. */
function fullLoss(model: InstructBlip, batch: InstructBlipBatch, training: boolean): tf.Scalar {
  const prompt = softPrompt(model, batch, training);
  const { hidden } = llamaForward(model.lm, lmInputs(model, prompt, batch.inputIds, batch.attentionMask));
  const { rows, targets } = targetRows(batch.labels, prompt.shape[1], model.cfg.lm.vocabSize);
  return meanCrossEntropy(lmHead(model.lm, tf.gather(hidden.reshape([-1, model.cfg.lm.hiddenSize]), tf.tensor1d(rows, 'int32'))) as tf.Tensor2D, targets);
}

function tinyConfig(lmLayers: number, tieWordEmbeddings: boolean): InstructBlipConfig {
  return {
    vision: { hiddenSize: 12, numLayers: 1, numHeads: 2, intermediateSize: 16, imageSize: 8, patchSize: 4, layerNormEps: 1e-6, qkvBias: true },
    qformer: {
      hiddenSize: 16, numLayers: 2, numHeads: 2, intermediateSize: 24, numQueryTokens: 3, crossAttentionFrequency: 1, encoderHiddenSize: 12,
      layerNormEps: 1e-12, hiddenDropout: 0.1, attentionDropout: 0.1, instructionAware: true, vocabSize: 20, maxPositionEmbeddings: 8,
    },
    lm: {
      vocabSize: 24, hiddenSize: 16, intermediateSize: 20, numLayers: lmLayers, numHeads: 4, numKeyValueHeads: 2, headDim: 4, rmsNormEps: 1e-6,
      ropeTheta: 10000, maxPositionEmbeddings: 64, tieWordEmbeddings, attentionBias: !tieWordEmbeddings, bosTokenId: 1, eosTokenId: 2, padTokenId: 0,
    },
  };
}

/** Per example: prompt tokens, then answer tokens (the targets), then right padding. */
const examples = fc.array(fc.record({ prompt: fc.integer({ min: 1, max: 4 }), answer: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 3 }).filter((list) => list.some((e) => e.answer > 0));

function tokenBatch(list: readonly { prompt: number; answer: number }[], seed: number) {
  const length = Math.max(...list.map((e) => e.prompt + e.answer));
  const id = (b: number, t: number) => 3 + ((seed + 5 * b + 7 * t) % 21);
  const rows = (f: (e: { prompt: number; answer: number }, b: number, t: number) => number) => list.map((e, b) => Array.from({ length }, (_, t) => f(e, b, t)));
  const int2d = (values: number[][]) => tf.tensor2d(values, undefined, 'int32');
  return {
    inputIds: int2d(rows((e, b, t) => (t < e.prompt + e.answer ? id(b, t) : 0))),
    attentionMask: int2d(rows((e, _, t) => (t < e.prompt + e.answer ? 1 : 0))),
    labels: int2d(rows((e, b, t) => (t >= e.prompt && t < e.prompt + e.answer ? id(b, t) : IGNORE_INDEX))),
    qformerInputIds: int2d(list.map((_, b) => [5 + b, 6, 7, b === 0 ? 8 : 0])),
    qformerAttentionMask: int2d(list.map((_, b) => [1, 1, 1, b === 0 ? 1 : 0])),
  };
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`property: the loss through the LM's predicting window equals the full pass's, with every trainable gradient, on ${backend}`, async () => {
    await initBackend({ backend, threads: 1 });
    const cases = fc.record({ seed: fc.nat(1000), lmLayers: fc.integer({ min: 1, max: 2 }), tied: fc.boolean(), list: examples, training: fc.boolean() });
    fc.assert(
      fc.property(cases, ({ seed, lmLayers, tied, list, training }) => {
        const model = createInstructBlip(tinyConfig(lmLayers, tied), wideInit(seed));
        tf.tidy(() => {
          const batch = { ...tokenBatch(list, seed), imageFeatures: tf.randomNormal([list.length, 5, 12], 0, 1, 'float32', seed) };
          const seeded = (loss: (m: InstructBlip, b: InstructBlipBatch, training: boolean) => tf.Scalar) => () => {
            let call = 0;
            return withDropoutSeeds(() => seed * 100 + call++, () => loss(model, batch, training));
          };
          assertSameValues('loss', seeded(instructBlipLoss)(), seeded(fullLoss)());
          assertSameGradients(model.params, seeded(instructBlipLoss), seeded(fullLoss));
        });
        model.params.dispose();
      }),
      { numRuns: backend === 'cpu' ? 12 : 6 },
    );
  });
}
