import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { geluWithDerivative } from '../../trainer/backend/gelu-kernel.ts';

const density = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);

/** Phi(x) = 1/2 + integral of the density from 0 to x, by Simpson's rule in float64 (an independent reference). */
function normalCdf(x: number): number {
  const steps = 2000;
  const h = x / steps;
  let sum = density(0) + density(x);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

function check(values: number[]): void {
  const x = Float32Array.from(values);
  const { y, derivative } = geluWithDerivative(x);
  x.forEach((v, i) => {
    const cdf = normalCdf(v);
    const scale = Math.max(1, Math.abs(v));
    assert.ok(Math.abs(y[i]! - v * cdf) <= 1e-6 * scale, `gelu(${v}) = ${y[i]}, reference ${v * cdf}`);
    assert.ok(Math.abs(derivative[i]! - (cdf + v * density(v))) <= 1e-6 * scale, `gelu'(${v}) = ${derivative[i]}, reference ${cdf + v * density(v)}`);
  });
}

test('GELU and its derivative match the normal CDF and density within 1e-6 on a grid over [-12, 12], zero and signed zero included', () => {
  check([...Array.from({ length: 2401 }, (_, i) => -12 + i / 100), 0, -0]);
});

test('GELU and its derivative match for any float32 input and length (tails past a multiple of 4)', () => {
  fc.assert(fc.property(fc.array(fc.float({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 23 }), check), { numRuns: 200 });
});
