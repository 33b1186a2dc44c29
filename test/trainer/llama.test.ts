import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { llamaConfigFromHF } from '../../trainer/model/config.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { type Llama, lmHead, llamaForward, llamaSpecs } from '../../trainer/model/llama.ts';
import { ParamSet } from '../../trainer/model/params.ts';
import { assertSameGradients, assertSameValues } from './equivalence.ts';
import { assertClose, assertGradients, loadGolden, tensorOf } from './golden.ts';

function loadLlama(trainable: boolean): { lm: Llama; golden: ReturnType<typeof loadGolden> } {
  const golden = loadGolden('llama');
  const cfg = llamaConfigFromHF(golden.config['text_config']);
  const specs = llamaSpecs(cfg, trainable);
  assertNoUnexpected(golden.params, 'llama', specs.map((s) => s.name));
  return { lm: { params: new ParamSet(specs, checkpointSource(golden.params, 'llama')), cfg, prefix: '' }, golden };
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`LLaMA (GQA, biases, untied head, left padding) matches the PyTorch reference on ${backend}`, async (t) => {
    await initBackend({ backend, threads: 1 });
    const { lm, golden } = loadLlama(true);
    const embeds = tensorOf(golden.inputs.get('inputs_embeds')) as tf.Tensor3D;
    const attentionMask = tensorOf(golden.inputs.get('attention_mask')) as tf.Tensor2D;
    const weights = tensorOf(golden.inputs.get('output_weights'));
    const logitsOf = (inputsEmbeds: tf.Tensor3D) => lmHead(lm, llamaForward(lm, { inputsEmbeds, attentionMask }).hidden);
    const { hidden } = llamaForward(lm, { inputsEmbeds: embeds, attentionMask });
    const hiddenError = assertClose('hidden', hidden, golden.outputs.get('hidden'), 1e-4);
    const logitsError = assertClose('logits', logitsOf(embeds), golden.outputs.get('logits'), 1e-4);
    const { worst, count } = assertGradients(lm.params, () => logitsOf(embeds).mul(weights).sum(), golden);
    const inputGrad = tf.grad((x: tf.Tensor) => logitsOf(x as tf.Tensor3D).mul(weights).sum())(embeds);
    const inputError = assertClose('grad inputs_embeds', inputGrad, golden.grads.get('input/inputs_embeds'), 1e-3);
    t.diagnostic(`hidden ${hiddenError.toExponential(1)}, logits ${logitsError.toExponential(1)}, ${count} parameter gradients worst ${worst.toExponential(1)}, input gradient ${inputError.toExponential(1)}`);
    lm.params.dispose();
  });
}

test('prefilling with a key/value cache gives the same hidden states as one full pass', async () => {
  await initBackend({ backend: 'cpu' });
  const { lm, golden } = loadLlama(false);
  const embeds = tensorOf(golden.inputs.get('inputs_embeds')) as tf.Tensor3D;
  const mask = tensorOf(golden.inputs.get('attention_mask')) as tf.Tensor2D;
  const full = llamaForward(lm, { inputsEmbeds: embeds, attentionMask: mask }).hidden;
  const first = llamaForward(lm, { inputsEmbeds: embeds.slice([0, 0, 0], [-1, 4, -1]), attentionMask: mask.slice([0, 0], [-1, 4]) });
  let cache = first.cache;
  const pieces = [first.hidden];
  for (let i = 4; i < 7; i++) {
    const step = llamaForward(lm, { inputsEmbeds: embeds.slice([0, i, 0], [-1, 1, -1]), attentionMask: mask.slice([0, 0], [-1, i + 1]), cache });
    cache = step.cache;
    pieces.push(step.hidden);
  }
  // Padding positions (row 1, positions 0 and 1) see different key sets in the two runs; skip them.
  const real = mask.toFloat().expandDims(2);
  const error = tf.concat(pieces, 1).sub(full).mul(real).abs().max().dataSync()[0]!;
  assert.ok(error < 1e-5, `cached vs full: ${error}`);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`property: a window of positions gives the full pass's hidden rows, gradients and the same cache on ${backend}`, async () => {
    await initBackend({ backend, threads: 1 });
    const { lm, golden } = loadLlama(true);
    const embeds = tensorOf(golden.inputs.get('inputs_embeds')) as tf.Tensor3D;
    const attentionMask = tensorOf(golden.inputs.get('attention_mask')) as tf.Tensor2D;
    const [, length, width] = embeds.shape;
    const windows = fc.tuple(fc.nat(length - 1), fc.nat(length - 1)).map(([a, b]) => [Math.min(a, b), Math.max(a, b) + 1] as const);
    fc.assert(
      fc.property(windows, fc.integer(), (window, seed) => {
        tf.tidy(() => {
          const [start, end] = window;
          const weights = tf.randomNormal([embeds.shape[0], end - start, width], 0, 1, 'float32', seed);
          const windowed = () => llamaForward(lm, { inputsEmbeds: embeds, attentionMask, window });
          const full = () => llamaForward(lm, { inputsEmbeds: embeds, attentionMask });
          const fullRows = (hidden: tf.Tensor) => hidden.slice([0, start, 0], [-1, end - start, -1]);
          const [w, f] = [windowed(), full()];
          assertSameValues('hidden', w.hidden, fullRows(f.hidden));
          w.cache.keys.forEach((k, i) => assertSameValues(`cached keys ${i}`, k, f.cache.keys[i]!, 0));
          w.cache.values.forEach((v, i) => assertSameValues(`cached values ${i}`, v, f.cache.values[i]!, 0));
          assertSameGradients(lm.params, () => windowed().hidden.mul(weights).sum(), () => fullRows(full().hidden).mul(weights).sum());
        });
      }),
      { numRuns: 8 },
    );
    lm.params.dispose();
  });
}

test('the LM refuses a mask that does not cover cache + new positions, naming both shapes, and a window outside the new positions', async () => {
  await initBackend({ backend: 'cpu' });
  const { lm } = loadLlama(false);
  assert.throws(() => llamaForward(lm, { inputsEmbeds: tf.zeros([2, 3, 16]), attentionMask: tf.ones([2, 4]) }), /attention_mask: shape \[2,4\] where \[2, 3\] \(cached 0 \+ new 3\) is needed/);
  assert.throws(() => llamaForward(lm, { inputsEmbeds: tf.zeros([2, 3, 8]), attentionMask: tf.ones([2, 3]) }), /inputs_embeds: shape \[2,3,8\] has width 8, the LM's hidden size is 16/);
  assert.throws(() => llamaForward(lm, { inputsEmbeds: tf.zeros([2, 3, 16]), attentionMask: tf.ones([2, 3]), window: [2, 4] }), /window: \[2, 4\) is not a non-empty range of the 3 new positions/);
});
