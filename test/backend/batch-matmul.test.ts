import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { buildKernelModules } from '../../scripts/build-kernels.ts';
import { initBackend } from '../../trainer/backend.ts';
import { matMulProblem, splitProblem, type MatMulProblem } from '../../trainer/backend/batch-matmul.ts';
import { attend } from '../../trainer/model/attention.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Deterministic values in [-1, 1) (mulberry32). */
function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  }
  return values;
}

interface Case {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

/** matMul of the case's seeded operands on `backend`: its values and shape. */
async function product(backend: 'wasm' | 'cpu', c: Case, seed: number): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.tensor(randomValues(tf.util.sizeFromShape(c.a), seed), c.a);
    const b = tf.tensor(randomValues(tf.util.sizeFromShape(c.b), seed + 1), c.b);
    const out = tf.matMul(a, b, c.transposeA, c.transposeB);
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

/** Largest difference relative to the largest magnitude of `want`. */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  assert.equal(got.length, want.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** The stored shapes of op(A) = [.., m, k] and op(B) = [.., k, n] for the flags. */
function operands(batchA: number[], batchB: number[], m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): Case {
  return { a: [...batchA, ...(transposeA ? [k, m] : [m, k])], b: [...batchB, ...(transposeB ? [n, k] : [k, n])], transposeA, transposeB };
}

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

test('the committed kernel module equals a fresh build of batch-matmul.wat', async () => {
  for (const [file, text] of await buildKernelModules()) assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), text, `${file} is stale: npm run build-kernels`);
});

test('float32 products with equal or broadcast batches are taken; other dtypes, mismatches and empty outputs are left', () => {
  const info = (shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo => ({ dataId: {}, shape, dtype });
  assert.deepEqual(matMulProblem(info([3, 4]), info([4, 5]), false, false), { batch: 1, batchA: 1, batchB: 1, m: 3, n: 5, k: 4, transposeA: false, transposeB: false });
  assert.deepEqual(matMulProblem(info([3, 4]), info([5, 4]), false, true), { batch: 1, batchA: 1, batchB: 1, m: 3, n: 5, k: 4, transposeA: false, transposeB: true });
  assert.deepEqual(matMulProblem(info([2, 3, 4, 3]), info([1, 4, 5]), true, false), { batch: 6, batchA: 6, batchB: 1, m: 3, n: 5, k: 4, transposeA: true, transposeB: false });
  assert.deepEqual(matMulProblem(info([4, 3, 0]), info([4, 0, 5]), false, false)?.k, 0);
  assert.equal(matMulProblem(info([2, 3, 4]), info([3, 4, 5]), false, false), undefined, 'batches 2 and 3');
  assert.equal(matMulProblem(info([2, 3, 4], 'int32'), info([2, 4, 5]), false, false), undefined);
  assert.equal(matMulProblem(info([2, 3, 4]), info([2, 3, 5]), false, false), undefined, 'inner sizes differ');
  assert.equal(matMulProblem(info([2, 0, 4]), info([2, 4, 5]), false, false), undefined, 'empty output');
});

test('a split covers every output element of every batch item exactly once, in whole tiles', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 4 }), (batch, m, n, k, parts) => {
      const p: MatMulProblem = { batch, batchA: batch, batchB: 1, m, n, k, transposeA: false, transposeB: false };
      const split = splitProblem(p, parts);
      assert.ok(split.length >= 1 && split.length <= parts);
      const covered = new Uint8Array(batch * m * n);
      for (const part of split) {
        assert.ok(part.batchCount > 0 && part.rows > 0 && part.columns > 0, JSON.stringify(part));
        assert.equal(part.rowStart % 4, 0, 'rows start on a 4-row tile');
        assert.equal(part.columnStart % 8, 0, 'columns start on an 8-column panel');
        for (let bi = part.batchStart; bi < part.batchStart + part.batchCount; bi++) {
          for (let i = part.rowStart; i < part.rowStart + part.rows; i++) {
            for (let j = part.columnStart; j < part.columnStart + part.columns; j++) covered[(bi * m + i) * n + j]! += 1;
          }
        }
      }
      assert.ok(covered.every((c) => c === 1));
      if (batch * m * n * k >= 1 << 17 && parts > 1 && (batch > 1 || Math.max(m, n) > 8)) assert.ok(split.length > 1, 'a large problem is shared');
    }),
    { numRuns: 200 },
  );
});

test('wasm matmul equals cpu for odd sizes, every transpose, broadcast batches, rank 4 and products split across threads', async () => {
  const wasm = await initBackend({ backend: 'wasm' });
  assert.match(wasm.description, /, SIMD matmul on 2 threads/);
  const cases: Case[] = [];
  const sizes = [1, 3, 5, 7, 17, 49];
  for (const [transposeA, transposeB] of FLAGS) {
    for (const m of sizes) {
      const n = sizes[(sizes.indexOf(m) + 2) % sizes.length]!;
      const k = sizes[(sizes.indexOf(m) + 4) % sizes.length]!;
      cases.push(operands([3], [3], m, n, k, transposeA, transposeB));
      cases.push(operands([4], [1], n, k, m, transposeA, transposeB));
      cases.push(operands([1], [4], k, m, n, transposeA, transposeB));
    }
    cases.push(operands([], [], 17, 9, 33, transposeA, transposeB));
    cases.push(operands([2, 3], [2, 3], 49, 49, 64, transposeA, transposeB));
    cases.push(operands([2, 3], [1], 8, 16, 4, transposeA, transposeB));
    cases.push(operands([2, 3], [3], 5, 7, 3, transposeA, transposeB));
    cases.push(operands([4], [4], 3, 5, 0, transposeA, transposeB));
    // Large enough to be split across the threads: by rows, by columns, by batch items.
    cases.push(operands([], [], 130, 37, 65, transposeA, transposeB));
    cases.push(operands([], [], 19, 301, 70, transposeA, transposeB));
    cases.push(operands([3], [1], 41, 53, 67, transposeA, transposeB));
    // Several blocks of K and of rows, with partial last blocks.
    cases.push(operands([], [], 301, 13, 530, transposeA, transposeB));
    cases.push(operands([2], [1], 133, 9, 261, transposeA, transposeB));
  }
  for (const [i, c] of cases.entries()) {
    const got = await product('wasm', c, i * 2);
    const want = await product('cpu', c, i * 2);
    assert.deepEqual(got.shape, want.shape, JSON.stringify(c));
    const error = relativeError(got.values, want.values);
    assert.ok(error <= 1e-5, `${JSON.stringify(c)}: relative error ${error}`);
  }
});

test('a NaN stays in its own output row, also where packing reads past a batch item', async () => {
  await initBackend({ backend: 'wasm' });
  // 5 rows: the second row tile of item 0 reads 3 rows past it, into item 1, whose row 0 holds the NaN.
  const values = randomValues(2 * 5 * 3, 7);
  values[15] = NaN;
  const out = tf.tidy(() => tf.matMul(tf.tensor3d(values, [2, 5, 3]), tf.tensor3d(randomValues(2 * 3 * 6, 8), [2, 3, 6])).dataSync());
  const nanRows = new Set<number>();
  out.forEach((v, i) => {
    if (Number.isNaN(v)) nanRows.add(Math.floor(i / 6));
  });
  assert.deepEqual([...nanRows], [5]);
});

test('gradients of a small masked attention on wasm equal cpu', async () => {
  const shape = [2, 3, 7, 5];
  const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const [q, k, v] = [0, 1, 2].map((i) => tf.tensor4d(randomValues(tf.util.sizeFromShape(shape), 100 + i), shape as [number, number, number, number]));
      const mask = tf.tensor4d([0, 0, 0, 0, 0, -1e9, -1e9, 0, 0, 0, 0, 0, 0, 0], [2, 1, 1, 7]);
      const weights = tf.tensor4d(randomValues(tf.util.sizeFromShape(shape), 200), shape as [number, number, number, number]);
      const grads = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => attend(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, mask).mul(weights).sum())([q!, k!, v!]);
      return grads.map((g) => g.dataSync() as Float32Array);
    });
  };
  await initBackend({ backend: 'wasm' });
  const got = await run('wasm');
  const want = await run('cpu');
  for (const [i, name] of ['q', 'k', 'v'].entries()) {
    const error = relativeError(got[i]!, want[i]!);
    assert.ok(error <= 1e-5, `d${name}: relative error ${error}`);
  }
});
