import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { attend, keyPaddingMask, mergeHeads, splitHeads } from '../../trainer/model/attention.ts';
import { type QFormerConfig, qformerConfigFromHF } from '../../trainer/model/config.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { dropout, gelu, layerNorm, linear, withDropoutSeeds } from '../../trainer/model/layers.ts';
import { ParamSet } from '../../trainer/model/params.ts';
import { qformerForward, qformerSpecs } from '../../trainer/model/qformer.ts';
import { assertSameGradients, assertSameValues, wideInit } from './equivalence.ts';
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

/**
 * The instruction-aware Q-Former computed in full: every layer runs every position (instruction
 * included) through self-attention, dense, LayerNorm and its FFN, as HF does; the query rows are
 * taken at the end. Dropout is drawn in the same order as qformerForward draws it.
 */
function fullQFormer(params: ParamSet, cfg: QFormerConfig, imageEmbeds: tf.Tensor3D, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, training: boolean): tf.Tensor {
  const [batch] = imageEmbeds.shape;
  const [nq, length, eps] = [cfg.numQueryTokens, inputIds.shape[1], cfg.layerNormEps];
  const words = tf.gather(params.get('qformer.embeddings.word_embeddings.weight'), inputIds).add(params.get('qformer.embeddings.position_embeddings.weight').slice([0, 0], [length, -1]));
  const embedded = tf.concat([params.get('query_tokens').tile([batch, 1, 1]), words], 1);
  let x = dropout(layerNorm(params, 'qformer.embeddings.layernorm', embedded, eps), cfg.hiddenDropout, training);
  const mask = keyPaddingMask(tf.concat([tf.ones([batch, nq]), attentionMask.toFloat()], 1) as tf.Tensor2D);
  const attention = (prefix: string, hidden: tf.Tensor, context: tf.Tensor, m: tf.Tensor | undefined) => {
    const heads = (name: string, t: tf.Tensor) => splitHeads(linear(params, `${prefix}.attention.${name}`, t), cfg.numHeads);
    const attended = mergeHeads(attend(heads('query', hidden), heads('key', context), heads('value', context), m, cfg.attentionDropout, training));
    return layerNorm(params, `${prefix}.output.LayerNorm`, dropout(linear(params, `${prefix}.output.dense`, attended), cfg.hiddenDropout, training).add(hidden), eps);
  };
  const feedForward = (intermediate: string, output: string, t: tf.Tensor) =>
    layerNorm(params, `${output}.LayerNorm`, dropout(linear(params, `${output}.dense`, gelu(linear(params, `${intermediate}.dense`, t))), cfg.hiddenDropout, training).add(t), eps);
  for (let i = 0; i < cfg.numLayers; i++) {
    const prefix = `qformer.encoder.layer.${i}`;
    const attended = attention(`${prefix}.attention`, x, x, mask);
    let queries = attended.slice([0, 0, 0], [-1, nq, -1]);
    if (i % cfg.crossAttentionFrequency === 0) queries = attention(`${prefix}.crossattention`, queries, imageEmbeds, undefined);
    queries = feedForward(`${prefix}.intermediate_query`, `${prefix}.output_query`, queries);
    x = tf.concat([queries, feedForward(`${prefix}.intermediate`, `${prefix}.output`, attended.slice([0, nq, 0], [-1, -1, -1]))], 1);
  }
  return x.slice([0, 0, 0], [-1, nq, -1]);
}

test('property: the last layer computing the query rows only gives the full Q-Former\'s query rows and gradients, dropout included', async () => {
  await initBackend({ backend: 'cpu' });
  const shapes = fc.record({
    seed: fc.nat(1000),
    layers: fc.integer({ min: 1, max: 3 }),
    crossAttentionFrequency: fc.integer({ min: 1, max: 2 }),
    lengths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
    training: fc.boolean(),
  });
  fc.assert(
    fc.property(shapes, ({ seed, layers, crossAttentionFrequency, lengths, training }) => {
      const cfg: QFormerConfig = {
        hiddenSize: 16, numLayers: layers, numHeads: 2, intermediateSize: 24, numQueryTokens: 3, crossAttentionFrequency, encoderHiddenSize: 12,
        layerNormEps: 1e-12, hiddenDropout: 0.2, attentionDropout: 0.2, instructionAware: true, vocabSize: 20, maxPositionEmbeddings: 8,
      };
      const params = new ParamSet(qformerSpecs(cfg), wideInit(seed));
      tf.tidy(() => {
        // Right-padded instructions of different lengths: the padding is masked as a key.
        const longest = Math.max(...lengths);
        const inputIds = tf.tensor2d(lengths.map((n, b) => Array.from({ length: longest }, (_, t) => (t < n ? 1 + ((seed + 7 * b + 3 * t) % 19) : 0))), undefined, 'int32');
        const attentionMask = tf.tensor2d(lengths.map((n) => Array.from({ length: longest }, (_, t) => (t < n ? 1 : 0))), undefined, 'int32');
        const imageEmbeds = tf.randomNormal([lengths.length, 4, 12], 0, 1, 'float32', seed) as tf.Tensor3D;
        const weights = tf.randomNormal([lengths.length, 3, 16], 0, 1, 'float32', seed + 1);
        // Both passes draw their dropout masks from the same seed sequence.
        const seeded = <T>(fn: () => T): T => {
          let call = 0;
          return withDropoutSeeds(() => seed * 100 + call++, fn);
        };
        const shortcut = () => seeded(() => qformerForward(params, cfg, { imageEmbeds, inputIds, attentionMask }, training));
        const full = () => seeded(() => fullQFormer(params, cfg, imageEmbeds, inputIds, attentionMask, training));
        assertSameValues('query output', shortcut(), full());
        assertSameGradients(params, () => shortcut().mul(weights).sum(), () => full().mul(weights).sum());
      });
      params.dispose();
    }),
    { numRuns: 12 },
  );
});
