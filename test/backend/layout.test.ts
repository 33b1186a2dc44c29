import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { initBackend } from '../../trainer/backend.ts';
import { LayoutKernel } from '../../trainer/backend/layout-kernel.ts';
import { leadingAxes } from '../../trainer/backend/sum-leading-axes.ts';

before(async () => {
  await initBackend({ backend: 'cpu' });
  await initBackend({ backend: 'wasm', threads: 1 });
});

/** `op` on `backend` over a tensor made from `values`: its values and shape. */
async function on(backend: 'wasm' | 'cpu', values: Float32Array | Int32Array, shape: number[], op: (x: tf.Tensor) => tf.Tensor) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const out = op(tf.tensor(values, shape, values instanceof Int32Array ? 'int32' : 'float32'));
    return { values: out.dataSync(), shape: out.shape };
  });
}

const dims = fc.integer({ min: 1, max: 70 });

test('the SIMD transpose equals element-by-element transposition for every shape, tails included', () => {
  const kernel = LayoutKernel.instantiate();
  fc.assert(
    fc.property(dims, dims, (rows, cols) => {
      const x = Float32Array.from({ length: rows * cols }, (_, i) => i + 0.5);
      const out = new Float32Array(rows * cols).fill(NaN);
      assert.ok(kernel.transpose(x, rows, cols, out));
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.equal(out[c * rows + r], x[r * cols + c], `(${r}, ${c}) of ${rows}x${cols}`);
    }),
    { numRuns: 300 },
  );
});

test('wasm Transpose equals cpu: matrices of float32 and int32, other permutations, and the identity', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.integer({ min: 0, max: 1000 }), async (shape, ints, seed) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = ints ? Int32Array.from({ length: size }, (_, i) => (i * 7919 + seed) % 1000) : Float32Array.from({ length: size }, (_, i) => Math.sin(i + seed));
      const perms = [shape.map((_, i) => i), shape.map((_, i) => shape.length - 1 - i), shape.map((_, i) => (i + 1) % shape.length)];
      for (const perm of perms) {
        const want = await on('cpu', values, shape, (x) => tf.transpose(x, perm));
        const got = await on('wasm', values, shape, (x) => tf.transpose(x, perm));
        assert.deepEqual(got.shape, want.shape);
        assert.deepEqual([...got.values], [...want.values], `perm ${perm} of ${shape}`);
      }
    }),
    { numRuns: 60 },
  );
});

test('an identity transpose shares the input: disposing either leaves the other readable', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const same = tf.transpose(x, [0, 1]);
  x.dispose();
  assert.deepEqual([...same.dataSync()], [1, 2, 3, 4]);
  same.dispose();
});

test('leading axes: a prefix in any order and sign, never every axis', () => {
  assert.equal(leadingAxes([0], 2), 1);
  assert.equal(leadingAxes([1, 0], 3), 2);
  assert.equal(leadingAxes(-3, 3), 1);
  assert.equal(leadingAxes([1], 2), 0);
  assert.equal(leadingAxes([0, 2], 3), 0);
  assert.equal(leadingAxes([0, 1], 2), 0);
});

test('wasm Sum over leading axes equals the exact sum within the float32 bound of summation, keepDims or not', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 1000 }), async (shape, k, keepDims, seed) => {
      const lead = Math.min(k, shape.length - 1);
      const axes = Array.from({ length: lead }, (_, i) => i).reverse();
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + seed));
      const want = await on('cpu', values, shape, (x) => tf.sum(x, axes, keepDims));
      const got = await on('wasm', values, shape, (x) => tf.sum(x, axes, keepDims));
      assert.deepEqual(got.shape, want.shape);
      // Float32 summation of n terms in any order is within (n - 1) * 2^-24 * sum |x| of the exact sum.
      const outputs = got.values.length;
      const terms = values.length / outputs;
      const exact = new Float64Array(outputs);
      const magnitude = new Float64Array(outputs);
      values.forEach((v, i) => {
        exact[i % outputs] += v;
        magnitude[i % outputs] += Math.abs(v);
      });
      got.values.forEach((v, i) => {
        const bound = (terms - 1) * 2 ** -24 * magnitude[i]! + 1e-7;
        assert.ok(Math.abs(v - exact[i]!) <= bound, `${v} vs ${exact[i]} at ${i}, bound ${bound}`);
      });
    }),
    { numRuns: 60 },
  );
});
