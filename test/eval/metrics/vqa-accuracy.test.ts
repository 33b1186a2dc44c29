import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { vqaAccuracy } from '../../../trainer/eval/metrics/vqa-accuracy.ts';
import { normalizeVqaAnswer } from '../../../trainer/eval/metrics/vqa-normalize.ts';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

/** Ten humans of whom `matching` said "2" and the rest "3". */
const humans = (matching: number) => [...Array(matching).fill('2'), ...Array(10 - matching).fill('3')];

test('the VQA formula averaged over the 10 leave-one-out sets: 1, 2, 3 matching humans give 0.3, 0.6, 0.9', () => {
  // One match: left out (1 set) -> 0; kept (9 sets) -> 1/3. Two: 2 x 1/3 + 8 x 2/3 = 6/10. Three: 3 x 2/3 + 7 x 1.
  assert.equal(vqaAccuracy('2', humans(0)), 0);
  assert.ok(close(vqaAccuracy('2', humans(1)), 0.3));
  assert.ok(close(vqaAccuracy('2', humans(2)), 0.6));
  assert.ok(close(vqaAccuracy('2', humans(3)), 0.9));
  for (let m = 4; m <= 10; m++) assert.equal(vqaAccuracy('2', humans(m)), 1);
});

test('prediction and human answers are compared after the official normalization', () => {
  assert.equal(vqaAccuracy('Two.', humans(4)), 1);
  assert.equal(vqaAccuracy('The dog', ['dog', 'dog', 'a dog', 'Dog!', 'cat', 'cat', 'cat', 'cat', 'cat', 'cat']), 1);
  assert.ok(close(vqaAccuracy('dont know', ["don't know", 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no']), 0.3));
});

test('an empty prediction scores 0 even against empty human answers', () => {
  assert.equal(vqaAccuracy('', ['', '', '', '', '', '', '', '', '', '']), 0);
  assert.equal(vqaAccuracy('the', ['a', 'a', 'a', 'a']), 0);
  assert.equal(vqaAccuracy('yes', []), 0);
});

const answer = fc.constantFrom('yes', 'no', '2', 'two', 'red', 'the red one', 'unanswerable');
const humanAnswers = fc.array(answer, { minLength: 10, maxLength: 10 });

test('properties: in [0, 1]; 1 when the prediction matches at least 3 humans of every leave-one-out set; order-free', () => {
  fc.assert(fc.property(answer, humanAnswers, fc.nat(), (prediction, answers, seed) => {
    const accuracy = vqaAccuracy(prediction, answers);
    assert.ok(accuracy >= 0 && accuracy <= 1);
    const matches = (subset: string[]) => subset.filter((a) => normalizeVqaAnswer(a) === normalizeVqaAnswer(prediction)).length;
    const everySetHasThree = answers.every((_, i) => matches(answers.filter((__, j) => j !== i)) >= 3);
    assert.equal(accuracy === 1, everySetHasThree);
    const rotated = answers.map((_, i) => answers[(i + seed) % answers.length]);
    assert.ok(close(vqaAccuracy(prediction, rotated), accuracy));
  }), { numRuns: 500 });
});

test('property: one more matching human never lowers the score', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), (m) => {
    assert.ok(vqaAccuracy('2', humans(m + 1)) >= vqaAccuracy('2', humans(m)));
  }));
});
