import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyAdjustments } from '../../pipelines/mixture/adjust.ts';
import { POLICIES } from '../../pipelines/mixture/policies/index.ts';
import { datasetSizes, mixturePlan } from './arbitraries.ts';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const close = (a: number, b: number, tolerance = 1e-12) => Math.abs(a - b) <= tolerance;

test('every plan: probabilities are positive and sum to 1 within 1e-12', () => {
  fc.assert(fc.property(mixturePlan(), (plan) => {
    assert.ok(close(sum(plan.probabilities), 1), `${plan.policy}: ${sum(plan.probabilities)}`);
    assert.ok(plan.probabilities.every((p) => p > 0 && p <= 1));
  }), { numRuns: 500 });
});

test('sqrt is the paper\'s formula: p_d = √S_d / Σ √S_i', () => {
  fc.assert(fc.property(datasetSizes(), (datasets) => {
    const p = POLICIES.sqrt(datasets, {});
    const total = sum(datasets.map((d) => Math.sqrt(d.size)));
    datasets.forEach((d, i) => assert.ok(close(p[i], Math.sqrt(d.size) / total), d.id));
  }));
});

test('proportional and uniform', () => {
  fc.assert(fc.property(datasetSizes(), (datasets) => {
    const total = sum(datasets.map((d) => d.size));
    POLICIES.proportional(datasets, {}).forEach((p, i) => assert.ok(close(p, datasets[i].size / total)));
    POLICIES.uniform(datasets, {}).forEach((p) => assert.ok(close(p, 1 / datasets.length)));
  }));
});

test('temperature: T = 1 is proportional, T = 2 is sqrt, a large T nears uniform, a tiny T does not overflow', () => {
  fc.assert(fc.property(datasetSizes(), (datasets) => {
    const t1 = POLICIES.temperature(datasets, { temperature: 1 });
    const t2 = POLICIES.temperature(datasets, { temperature: 2 });
    POLICIES.proportional(datasets, {}).forEach((p, i) => assert.ok(close(p, t1[i], 1e-9)));
    POLICIES.sqrt(datasets, {}).forEach((p, i) => assert.ok(close(p, t2[i], 1e-9)));
    POLICIES.temperature(datasets, { temperature: 1e6 }).forEach((p) => assert.ok(close(p, 1 / datasets.length, 1e-3)));
    const cold = POLICIES.temperature(datasets, { temperature: 0.001 });
    assert.ok(cold.every(Number.isFinite) && close(sum(cold), 1));
  }));
  assert.throws(() => POLICIES.temperature([{ id: 'a', size: 1 }], {}), /parameters\.temperature must be a positive number/);
});

test('unimax: no dataset beyond its epoch cap while the caps can absorb the budget; the rest as even as possible', () => {
  fc.assert(fc.property(datasetSizes(1_000_000), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 1e8 }), (datasets, epochCap, budget) => {
    const p = POLICIES.unimax(datasets, { epochCap, budget });
    const capacity = epochCap * sum(datasets.map((d) => d.size));
    const draws = p.map((x) => x * budget);
    if (budget <= capacity) {
      datasets.forEach((d, i) => assert.ok(draws[i] <= epochCap * d.size * (1 + 1e-9) + 1e-6, d.id));
      // An uncapped dataset gets at least as much as any other.
      const uncapped = datasets.map((d, i) => draws[i] < epochCap * d.size * (1 - 1e-9));
      const most = Math.max(...draws);
      uncapped.forEach((free, i) => free && assert.ok(draws[i] >= most * (1 - 1e-9)));
    } else {
      POLICIES.proportional(datasets, {}).forEach((q, i) => assert.ok(close(q, p[i], 1e-9)));
    }
  }));
  assert.throws(() => POLICIES.unimax([{ id: 'a', size: 1 }], { epochCap: 2 }), /positive budget/);
  assert.throws(() => POLICIES.unimax([{ id: 'a', size: 1 }], { budget: 2 }), /epochCap/);
});

test('weights: normalized as given; missing or extra datasets are errors', () => {
  const datasets = [{ id: 'okvqa', size: 5 }, { id: 'vqav2', size: 500 }];
  assert.deepEqual(POLICIES.weights(datasets, { weights: { okvqa: 3, vqav2: 1 } }), [0.75, 0.25]);
  assert.throws(() => POLICIES.weights(datasets, { weights: { okvqa: 3 } }), /no weight for vqav2/);
  assert.throws(() => POLICIES.weights(datasets, { weights: { okvqa: 3, vqav2: 1, gqa: 1 } }), /not in the mixture: gqa/);
  assert.throws(() => POLICIES.weights(datasets, { weights: { okvqa: -1, vqav2: 1 } }), /non-negative/);
  assert.throws(() => POLICIES.weights(datasets, {}), /weightsFile/);
});

test('adjustments multiply the policy\'s probabilities, then renormalize', () => {
  fc.assert(fc.property(fc.double({ min: 0.01, max: 0.98, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (p, factor) => {
    const adjusted = applyAdjustments(['okvqa', 'vqav2'], [p, 1 - p], { okvqa: factor });
    assert.ok(close(adjusted[0] / adjusted[1], (factor * p) / (1 - p), 1e-9));
    assert.ok(close(sum(adjusted), 1));
  }));
  assert.throws(() => applyAdjustments(['vqav2'], [1], { okvqa: 2 }), /adjustment for "okvqa", which is not in the mixture/);
  assert.throws(() => applyAdjustments(['okvqa'], [1], { okvqa: 0 }), /must be a positive number/);
});
