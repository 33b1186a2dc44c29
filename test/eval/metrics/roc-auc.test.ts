import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { rocAuc } from '../../../trainer/eval/metrics/roc-auc.ts';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('scikit-learn\'s documented example: labels [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] -> 0.75', () => {
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]).auc, 0.75);
});

test('perfect separation 1, reversed 0, all tied 0.5; a tie between a pair counts 1/2', () => {
  const labels = [false, false, true, true];
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], labels).auc, 1);
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], labels).auc, 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], labels).auc, 0.5);
  assert.equal(rocAuc([0.1, 0.5, 0.5, 0.9], labels).auc, 0.875); // 3 pairs won, 1 tied: 3.5 / 4
  assert.equal(rocAuc([-Infinity, -Infinity, 0.3, -Infinity], labels).auc, 0.75);
});

test('per-example shares: a positive\'s fraction of negatives below, a negative\'s fraction of positives above', () => {
  const { perExample } = rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]);
  assert.deepEqual(perExample, [1, 0.5, 0.5, 1]);
});

test('one class only: the AUC is undefined and the error says so', () => {
  assert.throws(() => rocAuc([0.1, 0.2], [true, true]), /needs positive and negative examples; got 2 positive and 0 negative/);
});

const labelledScores = fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 30 })
  .filter((pairs) => pairs.some(([, p]) => p) && pairs.some(([, p]) => !p));

test('properties: equals the pair count with ties 1/2; invariant under increasing transforms; per-example mean is the AUC', () => {
  fc.assert(fc.property(labelledScores, (pairs) => {
    const scores = pairs.map(([s]) => s);
    const labels = pairs.map(([, p]) => p);
    const { auc, perExample } = rocAuc(scores, labels);
    let won = 0;
    let count = 0;
    pairs.forEach(([sp, p]) => { if (p) pairs.forEach(([sn, n]) => { if (!n) { count++; won += sp > sn ? 1 : sp === sn ? 0.5 : 0; } }); });
    assert.ok(close(auc, won / count));
    assert.ok(close(rocAuc(scores.map((s) => Math.exp(s) * 3 - 7), labels).auc, auc));
    assert.ok(close(perExample.reduce((a, b) => a + b, 0) / perExample.length, auc));
    assert.ok(close(rocAuc(scores.map((s) => -s), labels).auc, 1 - auc));
  }), { numRuns: 500 });
});
