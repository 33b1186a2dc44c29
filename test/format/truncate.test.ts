import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeExample, keepFirst, keepLast, PAPER_TOKEN_LIMITS, type TokenEncoder } from '../../pipelines/format/truncate.ts';

/** One id per whitespace-separated word: enough to check where the cuts fall. */
const words: string[] = [];
const whitespace: TokenEncoder = {
  encode: (text) => text.split(/\s+/).filter(Boolean).map((w) => {
    const at = words.indexOf(w);
    return at >= 0 ? at : words.push(w) - 1;
  }),
};
const decode = (ids: number[]) => ids.map((i) => words[i]).join(' ');
const sentence = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

test('instructions lose their beginning, targets their end, at the paper limits', () => {
  const encoded = encodeExample(
    { instruction: sentence('i', 200), target: sentence('t', 300), templateId: 'x/01' },
    { qformer: whitespace, lm: whitespace },
  );
  assert.equal(encoded.qformerInstruction.length, PAPER_TOKEN_LIMITS.qformerInstruction);
  assert.equal(decode(encoded.lmInstruction), sentence('i', 200).split(' ').slice(72).join(' '));
  assert.equal(decode(encoded.target), sentence('t', 256));
  assert.deepEqual(encoded.dropped, { qformerInstruction: 72, lmInstruction: 72, target: 44 });
});

test('short examples pass through whole', () => {
  const encoded = encodeExample({ instruction: 'Q: what? A:', target: 'yes', templateId: 'vqa/04' }, { qformer: whitespace, lm: whitespace });
  assert.equal(decode(encoded.lmInstruction), 'Q: what? A:');
  assert.deepEqual(encoded.dropped, { qformerInstruction: 0, lmInstruction: 0, target: 0 });
});

test('keepLast is the longest suffix within the limit, keepFirst the longest prefix', () => {
  fc.assert(fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 50 }), (ids, limit) => {
    const tail = keepLast(ids, limit);
    const head = keepFirst(ids, limit);
    assert.equal(tail.length, Math.min(limit, ids.length));
    assert.equal(head.length, Math.min(limit, ids.length));
    assert.deepEqual(tail, ids.slice(ids.length - tail.length));
    assert.deepEqual(head, ids.slice(0, head.length));
  }));
});

test('limits must be positive integers', () => {
  const example = { instruction: 'a', target: 'b', templateId: 'x/01' };
  assert.throws(() => encodeExample(example, { qformer: whitespace, lm: whitespace }, { ...PAPER_TOKEN_LIMITS, target: 0 }), /token limit target/);
});
