import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ivqaAccuracy } from '../../../trainer/eval/metrics/ivqa-accuracy.ts';

const ANSWERS = ['knife', 'knife', 'spoon', 'cutting board', 'Knife.'];

test('min(#annotators who gave the answer / 2, 1) over the five answers, no leave-one-out', () => {
  assert.equal(ivqaAccuracy('knife', ANSWERS), 1); // three annotators
  assert.equal(ivqaAccuracy('spoon', ANSWERS), 0.5); // one
  assert.equal(ivqaAccuracy('a cutting board', ANSWERS), 0.5); // one, after normalization
  assert.equal(ivqaAccuracy('fork', ANSWERS), 0);
  assert.equal(ivqaAccuracy('spoon', ['spoon', 'spoon', 'fork', 'fork', 'fork']), 1); // exactly two
});

test('an empty prediction scores 0', () => {
  assert.equal(ivqaAccuracy('', ['', '', '', '', '']), 0);
});

test('property: the score is 0, 0.5 or 1', () => {
  const answer = fc.constantFrom('knife', 'spoon', 'fork', 'a knife', '');
  fc.assert(fc.property(answer, fc.array(answer, { minLength: 5, maxLength: 5 }), (prediction, answers) => {
    assert.ok([0, 0.5, 1].includes(ivqaAccuracy(prediction, answers)));
  }));
});
