import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { reciprocalRank } from '../../../trainer/eval/metrics/reciprocal-rank.ts';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('1 / the 1-based rank of the ground-truth option', () => {
  assert.equal(reciprocalRank([0.9, 0.5, 0.1], 0), 1);
  assert.equal(reciprocalRank([0.9, 0.5, 0.1], 1), 1 / 2);
  assert.equal(reciprocalRank([0.9, 0.5, 0.1], 2), 1 / 3);
  assert.equal(reciprocalRank([-1, -3, -2, -0.5], 2), 1 / 3);
});

test('ties: the expected reciprocal rank over a random order of the tied options', () => {
  assert.ok(close(reciprocalRank([0.5, 0.5], 1), (1 + 1 / 2) / 2));
  assert.ok(close(reciprocalRank([0.9, 0.5, 0.5, 0.5, 0.1], 2), (1 / 2 + 1 / 3 + 1 / 4) / 3));
  const flat = reciprocalRank(new Array(100).fill(0), 37);
  let harmonic = 0;
  for (let r = 1; r <= 100; r++) harmonic += 1 / r;
  assert.ok(close(flat, harmonic / 100));
  assert.ok(close(reciprocalRank([-Infinity, -Infinity, 0], 0), (1 / 2 + 1 / 3) / 2));
});

const optionScores = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 });

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

test('properties: in (0, 1]; 1 exactly when the truth alone scores highest; the mean over every tie-breaking order', () => {
  fc.assert(fc.property(optionScores, fc.nat(), (scores, pick) => {
    const truth = pick % scores.length;
    const rr = reciprocalRank(scores, truth);
    assert.ok(rr > 0 && rr <= 1);
    assert.equal(rr === 1, scores.every((s, i) => i === truth || s < scores[truth]));
    // Rank by a descending sort that breaks ties by each possible order of the options in turn.
    const orders = permutations(scores.map((_, i) => i));
    const reciprocal = orders.map((order) => {
      const ranked = [...order].sort((a, b) => scores[b] - scores[a]);
      return 1 / (ranked.indexOf(truth) + 1);
    });
    assert.ok(close(rr, reciprocal.reduce((a, b) => a + b, 0) / orders.length));
  }), { numRuns: 300 });
});
