import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { initBackend } from '../../trainer/backend.ts';
import { broadcastPlan } from '../../trainer/backend/broadcast-binary.ts';

before(async () => {
  await initBackend({ backend: 'cpu' });
  await initBackend({ backend: 'wasm', threads: 1 });
});

const OPS = { Add: tf.add, Sub: tf.sub, Multiply: tf.mul } as const;

/** Values with signed zeros, infinities and NaN among them, so exactness covers the corner cases. */
function values(size: number, seed: number): Float32Array {
  const special = [0, -0, Infinity, -Infinity, Number.NaN, 1, -1];
  return Float32Array.from({ length: size }, (_, i) => ((i * 7 + seed) % 11 === 0 ? special[(i + seed) % special.length]! : Math.sin(i * 1.3 + seed) * 10));
}

async function run(backend: 'wasm' | 'cpu', op: keyof typeof OPS, aShape: number[], bShape: number[], seed: number) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.tensor(values(tf.util.sizeFromShape(aShape), seed), aShape);
    const b = tf.tensor(values(tf.util.sizeFromShape(bShape), seed + 3), bShape);
    const out = OPS[op](a, b);
    return { values: [...out.dataSync()], shape: out.shape };
  });
}

/** A full shape and a small one broadcast over it: per row (last axis 1), a trailing vector, or a scalar. */
const broadcastCase = fc.tuple(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), fc.constantFrom('row', 'suffix', 'scalar'), fc.integer({ min: 0, max: 3 }))
  .map(([full, kind, cut]) => {
    if (kind === 'row') return { full, small: [...full.slice(0, -1), 1] };
    if (kind === 'scalar') return { full, small: cut % 2 === 0 ? [] : [1] };
    return { full, small: full.slice(Math.min(cut, full.length - 1)) };
  });

test('wasm Add, Sub and Multiply with a row, column or scalar broadcast equal cpu bit for bit, in both operand orders', async () => {
  await fc.assert(
    fc.asyncProperty(broadcastCase, fc.constantFrom('Add', 'Sub', 'Multiply'), fc.boolean(), fc.integer({ min: 0, max: 100 }), async ({ full, small }, op, smallFirst, seed) => {
      const [aShape, bShape] = smallFirst ? [small, full] : [full, small];
      const want = await run('cpu', op, aShape, bShape, seed);
      const got = await run('wasm', op, aShape, bShape, seed);
      assert.deepEqual(got.shape, want.shape);
      got.values.forEach((v, i) => assert.ok(Object.is(v, want.values[i]), `${op} ${aShape} ${bShape} at ${i}: ${v} vs ${want.values[i]}`));
    }),
    { numRuns: 150 },
  );
});

test('broadcast plans: rows, trailing vectors and scalars; nothing for a middle broadcast', () => {
  assert.deepEqual(broadcastPlan([8, 32, 256], [8, 32, 1]), { perRow: true, rows: 256, n: 256 });
  assert.deepEqual(broadcastPlan([8, 32, 256], [256]), { perRow: false, rows: 256, n: 256 });
  assert.deepEqual(broadcastPlan([8, 4, 64, 64], [1, 64, 64]), { perRow: false, rows: 32, n: 4096 });
  assert.deepEqual(broadcastPlan([6, 5], []), { perRow: false, rows: 6, n: 5 });
  assert.equal(broadcastPlan([8, 4, 64, 64], [8, 1, 1, 64]), undefined);
});
