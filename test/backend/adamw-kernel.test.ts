import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AdamWKernel, type AdamWScalars } from '../../trainer/backend/adamw-kernel.ts';

const f = Math.fround;

/** The kernel's arithmetic one value at a time, each operation rounded to float32 as wasm's f32x4 does. */
function referenceUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamWScalars): void {
  const [keep, b1, b2, ob2, step, inv, eps] = [s.keep, 1 - s.beta1, s.beta2, 1 - s.beta2, s.stepSize, 1 / Math.sqrt(s.correction2), s.epsilon].map(f) as number[];
  for (let i = 0; i < p.length; i++) {
    m[i] = f(m[i]! + f(b1! * f(g[i]! - m[i]!)));
    v[i] = f(f(b2! * v[i]!) + f(ob2! * f(g[i]! * g[i]!)));
    p[i] = f(f(p[i]! * keep!) - f(f(step! * m[i]!) / f(f(f(Math.sqrt(v[i]!)) * inv!) + eps!)));
  }
}

const floats = (size: number) => fc.float32Array({ minLength: size, maxLength: size, noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 });

test('the SIMD update equals float32 AdamW value for value, for every parameter of a layout and over several steps', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 37 }), { minLength: 1, maxLength: 4 }).chain((sizes) =>
        fc.record({
          sizes: fc.constant(sizes),
          values: fc.tuple(...sizes.map(floats)),
          grads: fc.array(fc.tuple(...sizes.map(floats)), { minLength: 1, maxLength: 3 }),
          lr: fc.double({ min: 1e-6, max: 1e-1, noNaN: true }),
          decay: fc.double({ min: 0, max: 0.1, noNaN: true }),
        }),
      ),
      ({ sizes, values, grads, lr, decay }) => {
        const kernel = new AdamWKernel(sizes);
        const want = sizes.map((size, i) => ({ p: Float32Array.from(values[i]!), m: new Float32Array(size), v: new Float32Array(size) }));
        const got = values.map((v) => Float32Array.from(v));
        grads.forEach((stepGrads, t) => {
          const s: AdamWScalars = { keep: 1 - lr * decay, beta1: 0.9, beta2: 0.999, stepSize: lr / (1 - 0.9 ** (t + 1)), correction2: 1 - 0.999 ** (t + 1), epsilon: 1e-8 };
          sizes.forEach((_, i) => {
            referenceUpdate(want[i]!.p, stepGrads[i]!, want[i]!.m, want[i]!.v, s);
            got[i] = kernel.update(i, got[i]!, stepGrads[i]!, s).slice();
          });
        });
        sizes.forEach((_, i) => {
          assert.deepEqual(got[i], want[i]!.p);
          assert.deepEqual(kernel.moments[i]!.m, want[i]!.m);
          assert.deepEqual(kernel.moments[i]!.v, want[i]!.v);
        });
      },
    ),
    { numRuns: 200 },
  );
});

test('moments that cannot fit in a wasm memory are refused with the parameter count', () => {
  assert.throws(() => new AdamWKernel([300_000_000]), /moments of 300,000,000 parameters need .* GiB, more than the 4 GiB/);
});

test('an update with the wrong number of values names the parameter', () => {
  const kernel = new AdamWKernel([3, 5]);
  const s: AdamWScalars = { keep: 1, beta1: 0.9, beta2: 0.999, stepSize: 1e-3, correction2: 1e-3, epsilon: 1e-8 };
  assert.throws(() => kernel.update(1, new Float32Array(3), new Float32Array(5), s), /parameter 1 has 5 values; got 3 values and 5 gradients/);
});
