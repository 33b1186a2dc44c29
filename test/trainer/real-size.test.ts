import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { EVA_VIT_G, QFORMER_BASE, VICUNA_7B } from '../../trainer/configs/models.ts';
import { llamaSpecs } from '../../trainer/model/llama.ts';
import { ParamSet, type ParamSpec, type ValueSource, randomInit, storedShape } from '../../trainer/model/params.ts';
import { qformerForward, qformerSpecs } from '../../trainer/model/qformer.ts';
import { visionForward, visionSpecs } from '../../trainer/model/vision.ts';

const tables = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'reference', 'goldens', 'real-size-shapes.json'), 'utf8')) as Record<string, Record<string, number[]>>;

/**
 * Fresh-init-like values without drawing 250M normals: one random block, cycled from a
 * per-parameter offset. Enough for a forward pass that exercises every weight at real size.
 */
function cycledInit(): ValueSource {
  const noise = tf.randomNormal([1 << 20], 0, 0.02, 'float32', 7);
  const block = noise.dataSync() as Float32Array;
  noise.dispose();
  const init = randomInit(0);
  return (spec, index) => {
    if (spec.init.kind !== 'normal') return init(spec, index);
    const shape = storedShape(spec);
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let at = 0, from = (index * 7919) % block.length; at < values.length; at += block.length - from, from = 0) {
      values.set(block.subarray(from, Math.min(block.length, from + values.length - at)), at);
    }
    return tf.tensor(values, shape);
  };
}

function assertLayout(specs: ParamSpec[], expected: Record<string, number[]>, total: number): void {
  assert.deepEqual(Object.fromEntries(specs.map((s) => [s.name, s.hfShape])), expected);
  assert.equal(specs.reduce((sum, s) => sum + s.hfShape.reduce((a, b) => a * b, 1), 0), total);
}

test('real sizes: EVA ViT-g, the BERT-base Q-Former and Vicuna-7B have the HF names and shapes (no allocation)', () => {
  // Layout tables from test/reference/shapes.py; totals match the published sizes (ViT-g about 1B,
  // Q-Former 186M + 3M projection = the paper's 188M trainable, Vicuna 6.7B).
  assertLayout(visionSpecs(EVA_VIT_G), tables['eva_vit_g']!, 985_952_256);
  assertLayout(qformerSpecs(QFORMER_BASE), tables['qformer_base']!, 185_684_736);
  assertLayout(llamaSpecs(VICUNA_7B), tables['vicuna_7b']!, 6_738_423_808);
});

test('real sizes on wasm: EVA ViT-g at depth 1 and the full Q-Former run a batch-1 forward pass', async (t) => {
  const backend = await initBackend({ backend: 'wasm', threads: 1 });
  t.diagnostic(backend.description);

  const vision = { ...EVA_VIT_G, numLayers: 1 };
  const visionParams = new ParamSet(visionSpecs(vision), cycledInit());
  const started = performance.now();
  const features = visionForward(visionParams, vision, tf.randomNormal([1, 3, 224, 224], 0, 1, 'float32', 2) as tf.Tensor4D);
  assert.deepEqual(features.shape, [1, 257, 1408]);
  // Fresh LayerNorm weights are ones and zeros, so each token comes out standardized.
  const { mean, variance } = tf.moments(features, -1);
  assert.ok(mean.abs().max().dataSync()[0]! < 1e-3 && variance.sub(1).abs().max().dataSync()[0]! < 1e-2);
  t.diagnostic(`EVA ViT-g depth 1 forward: ${(performance.now() - started).toFixed(0)} ms`);
  visionParams.dispose();

  const qformerParams = new ParamSet(qformerSpecs(QFORMER_BASE), cycledInit());
  const image = tf.randomNormal([1, 257, 1408], 0, 1, 'float32', 4) as tf.Tensor3D;
  const inputIds = tf.tensor2d([Array.from({ length: 24 }, (_, i) => 101 + i)], undefined, 'int32');
  const qStarted = performance.now();
  const queries = qformerForward(qformerParams, QFORMER_BASE, { imageEmbeds: image, inputIds, attentionMask: tf.onesLike(inputIds) });
  assert.deepEqual(queries.shape, [1, 32, 768]);
  assert.ok(queries.isFinite().all().dataSync()[0] === 1);
  t.diagnostic(`Q-Former base forward (32 queries + 24 tokens, 257x1408 image): ${(performance.now() - qStarted).toFixed(0)} ms`);
  qformerParams.dispose();
});
