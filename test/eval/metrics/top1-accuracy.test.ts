import assert from 'node:assert/strict';
import { test } from 'node:test';
import { top1Correct } from '../../../trainer/eval/metrics/top1-accuracy.ts';

test('a predicted index counts when it is the correct candidate', () => {
  const truth = { answerIndex: 2, answer: 'a cube' };
  assert.equal(top1Correct(2, truth), 1);
  assert.equal(top1Correct(1, truth), 0);
  assert.equal(top1Correct(2, { answerIndex: null, answer: 'a cube' }), 0);
});

test('a predicted text counts when it equals the correct answer after normalization', () => {
  assert.equal(top1Correct('True.', { answerIndex: 0, answer: 'true' }), 1);
  assert.equal(top1Correct('false', { answerIndex: 0, answer: 'true' }), 0);
  assert.equal(top1Correct('playing guitar', { answerIndex: null, answer: 'playing guitar' }), 1);
  assert.equal(top1Correct('', { answerIndex: null, answer: '' }), 0);
});
