import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactMatch } from '../../../trainer/eval/metrics/exact-match.ts';

test('GQA exact match: equal after normalization', () => {
  assert.equal(exactMatch('left', 'left'), 1);
  assert.equal(exactMatch('Left.', 'left'), 1);
  assert.equal(exactMatch('the table', 'table'), 1);
  assert.equal(exactMatch('two', '2'), 1);
  assert.equal(exactMatch('right', 'left'), 0);
  assert.equal(exactMatch('on the left', 'left'), 0);
});

test('an empty prediction never matches, even an answer that normalizes to nothing', () => {
  assert.equal(exactMatch('', ''), 0);
  assert.equal(exactMatch('the', 'a'), 0);
  assert.equal(exactMatch('  ', 'yes'), 0);
});
