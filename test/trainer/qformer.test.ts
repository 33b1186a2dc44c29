import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { qformerConfigFromHF } from '../../trainer/model/config.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { ParamSet } from '../../trainer/model/params.ts';
import { qformerForward, qformerSpecs } from '../../trainer/model/qformer.ts';
import { assertClose, assertGradients, loadGolden, tensorOf } from './golden.ts';

for (const backend of ['cpu', 'wasm'] as const) {
  for (const caseName of ['qformer-instruct', 'qformer-blip2']) {
    test(`${caseName} matches the PyTorch reference on ${backend}: output, parameter and input gradients`, async (t) => {
      await initBackend({ backend, threads: 1 });
      const golden = loadGolden(caseName);
      const hf = golden.config['qformer_config'];
      const cfg = qformerConfigFromHF(hf, golden.config['num_query_tokens'], hf.encoder_hidden_size, golden.config['instruction_aware']);
      const specs = qformerSpecs(cfg);
      assertNoUnexpected(golden.params, caseName, specs.map((s) => s.name));
      const params = new ParamSet(specs, checkpointSource(golden.params, caseName));
      const image = tensorOf(golden.inputs.get('image_embeds')) as tf.Tensor3D;
      const instruction = cfg.instructionAware
        ? { inputIds: tensorOf(golden.inputs.get('qformer_input_ids')) as tf.Tensor2D, attentionMask: tensorOf(golden.inputs.get('qformer_attention_mask')) as tf.Tensor2D }
        : {};
      const weights = tensorOf(golden.inputs.get('output_weights'));
      const forward = (imageEmbeds: tf.Tensor3D) => qformerForward(params, cfg, { imageEmbeds, ...instruction });
      const outputError = assertClose('query_output', forward(image), golden.outputs.get('query_output'), 1e-4);
      const { worst, count } = assertGradients(params, () => forward(image).mul(weights).sum(), golden);
      assert.equal(count, specs.length);
      const imageGrad = tf.grad((x: tf.Tensor) => forward(x as tf.Tensor3D).mul(weights).sum())(image);
      const inputError = assertClose('grad image_embeds', imageGrad, golden.grads.get('input/image_embeds'), 1e-3);
      t.diagnostic(`output ${outputError.toExponential(1)}, ${count} parameter gradients worst ${worst.toExponential(1)}, image gradient ${inputError.toExponential(1)}`);
      params.dispose();
    });
  }
}

test('the Q-Former refuses image features of the wrong width, naming both widths', async () => {
  await initBackend({ backend: 'cpu' });
  const golden = loadGolden('qformer-blip2');
  const hf = golden.config['qformer_config'];
  const cfg = qformerConfigFromHF(hf, golden.config['num_query_tokens'], hf.encoder_hidden_size, false);
  const params = new ParamSet(qformerSpecs(cfg), checkpointSource(golden.params, 'golden'));
  assert.throws(() => qformerForward(params, cfg, { imageEmbeds: tf.zeros([1, 3, 5]) }), /image_embeds: shape \[1,3,5\] has width 5, the cross-attention expects 12/);
});
