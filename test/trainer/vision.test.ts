import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { visionConfigFromHF } from '../../trainer/model/config.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { ParamSet } from '../../trainer/model/params.ts';
import { visionForward, visionSpecs } from '../../trainer/model/vision.ts';
import { assertClose, assertGradients, loadGolden, tensorOf } from './golden.ts';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`vision encoder matches the PyTorch reference on ${backend}: conv patches, fused qkv, post-LN, gradients`, async (t) => {
    await initBackend({ backend, threads: 1 });
    const golden = loadGolden('vision');
    const cfg = visionConfigFromHF(golden.config['vision_config']);
    // Trainable here only so that variableGrads differentiates the encoder's parameters.
    const specs = visionSpecs(cfg, true);
    assertNoUnexpected(golden.params, 'vision', specs.map((s) => s.name));
    const params = new ParamSet(specs, checkpointSource(golden.params, 'vision'));
    const pixels = tensorOf(golden.inputs.get('pixel_values')) as tf.Tensor4D;
    const weights = tensorOf(golden.inputs.get('output_weights'));
    const outputError = assertClose('image_embeds', visionForward(params, cfg, pixels), golden.outputs.get('image_embeds'), 1e-4);
    const { worst, count } = assertGradients(params, () => visionForward(params, cfg, pixels).mul(weights).sum(), golden);
    assert.equal(count, specs.length);
    const pixelGrad = tf.grad((x: tf.Tensor) => visionForward(params, cfg, x as tf.Tensor4D).mul(weights).sum())(pixels);
    const inputError = assertClose('grad pixel_values', pixelGrad, golden.grads.get('input/pixel_values'), 1e-3);
    t.diagnostic(`output ${outputError.toExponential(1)}, ${count} parameter gradients worst ${worst.toExponential(1)}, pixel gradient ${inputError.toExponential(1)}`);
    params.dispose();
  });
}

test('the vision encoder refuses an image of the wrong size, naming both shapes', async () => {
  await initBackend({ backend: 'cpu' });
  const golden = loadGolden('vision');
  const cfg = visionConfigFromHF(golden.config['vision_config']);
  const params = new ParamSet(visionSpecs(cfg), checkpointSource(golden.params, 'vision'));
  assert.throws(() => visionForward(params, cfg, tf.zeros([1, 3, 16, 16])), /pixel_values: shape \[1,3,16,16\] where the encoder expects \[batch, 3, 8, 8\]/);
});
