import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { WASM_HEAP_LIMIT_BYTES, assertFitsMemory, initBackend } from '../../trainer/backend.ts';
import { segmentSumValues } from '../../trainer/backend/segment-sum.ts';

test('segment sum adds rows into their buckets and drops out-of-range ids', () => {
  const out = new Float32Array(6);
  segmentSumValues(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 0, 2, 5], 2, out, 3);
  assert.deepEqual(Array.from(out), [3, 4, 0, 0, 6, 8]);
});

test('a missing native backend, when requested, is an error that says why', async () => {
  await assert.rejects(initBackend({ backend: 'tensorflow-gpu' }), /@tensorflow\/tfjs-node-gpu is not installed/);
});

/** The embedding gradient (UnsortedSegmentSum) with repeated ids, on the current backend. */
function embeddingGradient(): number[][] {
  const table = tf.tensor2d([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const ids = tf.tensor1d([2, 0, 2], 'int32');
  const weights = tf.tensor2d([
    [1, 10],
    [100, 1000],
    [2, 20],
  ]);
  const grad = tf.grad((t: tf.Tensor) => tf.gather(t, ids).mul(weights).sum())(table);
  return grad.arraySync() as number[][];
}

test('cpu and wasm (two threads) take the JS segment-sum kernel for the embedding gradient; wasm clones share memory', async () => {
  const expected = [
    [100, 1000],
    [0, 0],
    [3, 30],
  ];
  const cpu = await initBackend({ backend: 'cpu' });
  assert.equal(cpu.name, 'cpu');
  assert.deepEqual(embeddingGradient(), expected);
  const wasm = await initBackend({ backend: 'wasm', threads: 2 });
  assert.equal(wasm.name, 'wasm');
  assert.equal(wasm.threads, 2, wasm.description);
  assert.match(wasm.description, /wasm \(SIMD, 2 threads/);
  assert.deepEqual(embeddingGradient(), expected);
  // Identity shares memory on wasm: a clone outlives its disposed source, and a variable's assign
  // does not reach a clone taken before it.
  const source = tf.tensor1d([1, 2, 3]);
  const clone = source.clone();
  source.dispose();
  assert.deepEqual(Array.from(clone.dataSync()), [1, 2, 3]);
  const variable = tf.variable(tf.tensor1d([4, 5]));
  const before = variable.clone();
  variable.assign(tf.tensor1d([6, 7]));
  assert.deepEqual([Array.from(before.dataSync()), Array.from(variable.dataSync())], [[4, 5], [6, 7]]);
  // A matmul large enough to be split across the threads gives the same result as cpu.
  const a = tf.randomUniform([64, 96], -1, 1, 'float32', 1);
  const b = tf.randomUniform([96, 80], -1, 1, 'float32', 2);
  const onWasm = tf.matMul(a, b).dataSync();
  const [av, bv] = [a.dataSync(), b.dataSync()];
  await tf.setBackend('cpu');
  const onCpu = tf.matMul(tf.tensor2d(av, [64, 96]), tf.tensor2d(bv, [96, 80])).dataSync();
  assert.ok(onWasm.every((v, i) => Math.abs(v - onCpu[i]!) < 1e-4));
});

test('assertFitsMemory refuses a wasm job past 4 GiB with the estimate and the suggestion', () => {
  const wasm = { name: 'wasm' as const, threads: 2, heapLimitBytes: WASM_HEAP_LIMIT_BYTES, description: '' };
  assert.doesNotThrow(() => assertFitsMemory(wasm, 3 * 1024 ** 3, 'x', 'y'));
  assert.throws(() => assertFitsMemory(wasm, 5 * 1024 ** 3, 'training step of qformer-base at batch 8', 'lower the batch size'), /training step of qformer-base at batch 8 needs about 5.00 GiB, more than the wasm heap of 4.00 GiB; lower the batch size/);
  assert.doesNotThrow(() => assertFitsMemory({ name: 'cpu', threads: 1, description: '' }, 5 * 1024 ** 3, 'x', 'y'));
});

test('when the thread shim fails, wasm falls back to one thread and says so', () => {
  const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', path.join(fixtures, 'break-thread-shim.ts'), path.join(fixtures, 'print-backend.ts')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /wasm \(SIMD, 1 thread, 4 GiB heap\) \(the 2-thread shim failed; fell back to 1 thread\)/);
});
