import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { initBackend } from '../../trainer/backend.ts';
import { AdamW, decays } from '../../trainer/train/adamw.ts';
import { GradientSum, clipByGlobalNorm } from '../../trainer/train/gradients.ts';
import { learningRate } from '../../trainer/train/schedule.ts';

before(async () => {
  await initBackend({ backend: 'cpu' });
});

const schedule = { peakLr: 1e-5, warmupStartLr: 1e-8, warmupSteps: 1000, minLr: 0 };

test('schedule: linear warmup from 1e-8 to the peak, then cosine to the minimum', () => {
  assert.equal(learningRate(schedule, 0, 60000), 1e-8);
  assert.ok(Math.abs(learningRate(schedule, 500, 60000) - (1e-8 + (1e-5 - 1e-8) / 2)) < 1e-15);
  assert.equal(learningRate(schedule, 1000, 60000), 1e-5);
  assert.ok(Math.abs(learningRate(schedule, 1000 + 29500, 60000) - 0.5e-5) < 1e-12, 'half way through the decay: half the peak');
  assert.ok(learningRate(schedule, 59999, 60000) > 0 && learningRate(schedule, 59999, 60000) < 1e-13, 'the last step is just above the minimum');
  fc.assert(fc.property(fc.integer({ min: 1000, max: 59998 }), (step) => learningRate(schedule, step + 1, 60000) <= learningRate(schedule, step, 60000)));
});

/** PyTorch's AdamW on plain numbers, for comparison. */
function referenceAdamW(p: number[], grads: number[][], lrs: number[], wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const out = [...p];
  grads.forEach((g, t) => {
    const lr = lrs[t]!;
    for (let i = 0; i < out.length; i++) {
      out[i]! *= 1 - lr * wd;
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** (t + 1));
      const vHat = v[i]! / (1 - b2 ** (t + 1));
      out[i]! -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  });
  return out;
}

test('AdamW matches PyTorch: decoupled decay on matrices, none on biases; a parameter without gradient is untouched', () => {
  const weight = tf.variable(tf.tensor2d([[1, -2], [0.5, 3]]));
  const bias = tf.variable(tf.tensor1d([0.25, -0.75]));
  const idle = tf.variable(tf.tensor2d([[4]]));
  const opt = new AdamW([
    { name: 'w', variable: weight, decay: true },
    { name: 'b', variable: bias, decay: false },
    { name: 'idle', variable: idle, decay: true },
  ], { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 });
  const wGrads = [[0.1, -0.2, 0.3, 0.05], [0.2, 0.1, -0.4, 0.0], [-0.3, 0.3, 0.1, 0.2]];
  const bGrads = [[1, -1], [0.5, 0.5], [-2, 0.1]];
  const lrs = [0.1, 0.05, 0.01];
  wGrads.forEach((g, t) => {
    opt.apply(new Map([['w', Float32Array.from(g)], ['b', Float32Array.from(bGrads[t]!)]]), lrs[t]!);
  });
  const close = (actual: ArrayLike<number>, expected: number[]) => expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) < 1e-6, `${actual[i]} vs ${e}`));
  close(weight.dataSync(), referenceAdamW([1, -2, 0.5, 3], wGrads, lrs, 0.05));
  close(bias.dataSync(), referenceAdamW([0.25, -0.75], bGrads, lrs, 0));
  assert.deepEqual([...idle.dataSync()], [4]);
  assert.equal(opt.updates, 3);
});

test('weight decay: none on biases, norms or 1-D parameters (LAVIS), on matrices and query tokens', () => {
  const spec = (name: string, hfShape: number[]) => ({ name, hfShape, linear: false, init: { kind: 'zeros' as const }, trainable: true });
  assert.equal(decays(spec('qformer.encoder.layer.0.attention.attention.query.weight', [8, 8])), true);
  assert.equal(decays(spec('query_tokens', [1, 8, 64])), true);
  assert.equal(decays(spec('qformer.encoder.layer.0.attention.attention.query.bias', [8])), false);
  assert.equal(decays(spec('vision_model.post_layernorm.weight', [8])), false);
});

test('gradient accumulation averages micro-batches; clipping scales to the global norm', () => {
  const sum = new GradientSum();
  sum.begin();
  sum.add({ a: tf.tensor1d([2, 0]), b: tf.tensor1d([0]) }, 0.5);
  sum.add({ a: tf.tensor1d([0, 4]), b: tf.tensor1d([6]) }, 0.5);
  const total = sum.total;
  assert.deepEqual([...total.get('a')!], [1, 2]);
  assert.deepEqual([...total.get('b')!], [3]);
  const norm = clipByGlobalNorm(total, 1);
  assert.ok(Math.abs(norm - Math.sqrt(14)) < 1e-6);
  const after = Math.hypot(...total.get('a')!, ...total.get('b')!);
  assert.ok(Math.abs(after - 1) < 1e-5, `clipped norm ${after}`);
  const before = [...total.get('a')!];
  assert.ok(Math.abs(clipByGlobalNorm(total, 10) - after) < 1e-5);
  assert.deepEqual([...total.get('a')!], before, 'under the limit nothing changes');
  sum.begin();
  sum.add({ a: tf.tensor1d([5, 7]) }, 1);
  assert.deepEqual([...sum.total.get('a')!], [5, 7], 'the next step starts from zero');
  assert.equal(sum.total.has('b'), false, 'a parameter without a gradient this step is not in the sum');
});

test('AdamW updates leak no tensor memory', () => {
  const variable = tf.variable(tf.zeros([64, 64]));
  const opt = new AdamW([{ name: 'w', variable, decay: true }], { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 });
  const grads = new Map([['w', new Float32Array(64 * 64).fill(0.5)]]);
  opt.apply(grads, 1e-3);
  const before = tf.memory();
  for (let i = 0; i < 5; i++) opt.apply(grads, 1e-3);
  assert.deepEqual([tf.memory().numTensors, tf.memory().numBytes], [before.numTensors, before.numBytes]);
  variable.dispose();
});
