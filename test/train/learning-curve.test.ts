import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { curvePoints, formatCurve } from '../../trainer/demo/learning-curve.ts';
import type { MetricRecord } from '../../trainer/train/metrics.ts';

const trainRecord = (step: number, loss: number): MetricRecord => ({ kind: 'train', step, loss, lr: 1e-3, gradNorm: 1, examples: step * 8, seconds: 0.1, dataWait: 0 });

test('curve windows cover every step once, each point the mean loss of its window', () => {
  fc.assert(fc.property(fc.array(fc.float({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 30 }), (losses, windows) => {
    const records = losses.map((loss, i) => trainRecord(i + 1, loss));
    const points = curvePoints(records, windows);
    assert.ok(points.length <= windows);
    assert.equal(points.at(-1)!.step, losses.length);
    let from = 0;
    for (const p of points) {
      const window = losses.slice(from, p.step);
      const mean = window.reduce((a, b) => a + b, 0) / window.length;
      assert.ok(Math.abs(p.trainLoss - mean) <= 1e-9 * Math.max(1, mean));
      from = p.step;
    }
  }));
});

test('a window shows the mean validation loss of the last validation inside it', () => {
  const records: MetricRecord[] = [1, 2, 3, 4].map((s) => trainRecord(s, 2));
  records.push({ kind: 'val', step: 2, losses: { a: 1, b: 3 } }, { kind: 'val', step: 4, losses: { a: 0.5, b: 0.5 } });
  const points = curvePoints(records, 2);
  assert.deepEqual(points.map((p) => p.validationLoss), [2, 0.5]);
  const lines = formatCurve(points);
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^2 {2}2\.000 #+ +2\.000$/);
});

test('no training records, no curve', () => {
  assert.deepEqual(curvePoints([], 10), []);
});
