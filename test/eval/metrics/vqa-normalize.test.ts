import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalizeVqaAnswer } from '../../../trainer/eval/metrics/vqa-normalize.ts';

/**
 * Expected values are the official tool's: its normalization was run on these inputs outside the
 * project and the outputs copied here (3,000 further random strings agreed as well).
 */
const OFFICIAL: readonly [string, string][] = [
  ['Yes', 'yes'],
  ['yes.', 'yes'],
  ['The dog', 'dog'],
  ['an apple', 'apple'],
  ['None', '0'],
  ['two dogs', '2 dogs'],
  ['ten', '10'],
  ['eleven', 'eleven'],
  ['None of the above', '0 of above'],
  ['I dont know', "i don't know"],
  ['whos there', "who's there"],
  ['oclock', "o'clock"],
  ["somebody'd", 'somebodyd'],
  ['Ive', 'ive'],
  ["it's 5 o'clock", "it's 5 o'clock"],
  // digit-comma-digit anywhere: every listed mark is deleted, not spaced
  ['1,000', '1000'],
  ['1,000 dogs, cats', '1000 dogs cats'],
  ['2,5.', '25'],
  ['٣,٤', '٣٤'],
  ['1, 000', '1 000'],
  // periods go unless a digit follows
  ['3.5', '3.5'],
  ['3.', '3'],
  ['.5', '.5'],
  ['e.g.', 'eg'],
  ['u.s.a', 'usa'],
  // a mark touching a space is deleted, otherwise it becomes a space
  ['left-handed', 'left handed'],
  ['x/y', 'x y'],
  ['a,b', 'b'],
  ['1+1=2', '1 1 2'],
  ['semi;colon', 'semi colon'],
  ['colon:kept', 'colon:kept'],
  ['what?!', 'what'],
  ['(yes)', 'yes'],
  ['"quoted"', 'quoted'],
  ['x_y', 'x y'],
  // whitespace, Python's set
  ['\tyes\n', 'yes'],
  ['yes\nno', 'yes no'],
  ['  multiple   spaces  ', 'multiple spaces'],
  ['\u00a0yes\u00a0', 'yes'],
  ['yes\u001cno', 'yes no'],
  ['yes\u0085no', 'yes no'],
  ['\ufeffyes', '\ufeffyes'],
  ['ÉCOLE', 'école'],
  // nothing left
  ['the the the', ''],
  ['a', ''],
  ['', ''],
  // words that are also Object.prototype keys are plain words
  ['constructor toString', 'constructor tostring'],
];

test('normalizeVqaAnswer reproduces the official tool on tricky answers', () => {
  for (const [input, expected] of OFFICIAL) assert.equal(normalizeVqaAnswer(input), expected, JSON.stringify(input));
});

test('at most 32 periods are removed (re.UNICODE passed as sub\'s count)', () => {
  assert.equal(normalizeVqaAnswer('.'.repeat(52)), '.'.repeat(20));
  assert.equal(normalizeVqaAnswer('.'.repeat(32)), '');
});

const answerLike = fc.array(fc.constantFrom(
  ...'aAbeiontwrhdsy0159.,;:/-_()[]{}"\'`?!@<>=+\\ \t\n', 'the ', 'a ', 'an ', 'one', 'Two', 'dont', ' , ', '1,0', '5.', '.5', 'none',
), { maxLength: 16 }).map((parts) => parts.join(''));

test('normalization is idempotent, so already-normalized reference answers are left as they are', () => {
  fc.assert(fc.property(answerLike, (answer) => {
    const once = normalizeVqaAnswer(answer);
    assert.equal(normalizeVqaAnswer(once), once);
  }), { numRuns: 2000 });
});

test('output: lowercase single-spaced words, no articles, no number words, none of the listed marks', () => {
  fc.assert(fc.property(answerLike, (answer) => {
    const out = normalizeVqaAnswer(answer);
    assert.equal(out, out.toLowerCase());
    assert.equal(out, out.trim());
    assert.ok(!out.includes('  '));
    const words = out === '' ? [] : out.split(' ');
    assert.ok(words.every((w) => !['a', 'an', 'the', 'one', 'two', 'none'].includes(w)), out);
    assert.ok(![...';/[]"{}()=+\\_->@<`,?!'].some((mark) => out.includes(mark)), out);
  }), { numRuns: 2000 });
});
