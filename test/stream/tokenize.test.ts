import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PAPER_TOKEN_LIMITS, type RenderedExample } from '../../pipelines/format/index.ts';
import { IGNORE_LABEL, padSequences, targetLabels, targetLossMask } from '../../pipelines/stream/collate.ts';
import { memoizedEncode } from '../../pipelines/stream/memo-encoder.ts';
import { pickExampleIndex } from '../../pipelines/stream/pick-example.ts';
import { type ExampleEncoders, tokenizeExample } from '../../pipelines/stream/tokenize-example.ts';
import { bertQFormerTokenizer, charLmTokenizer, LM_SPECIAL } from './tokenizers.ts';

const qformer = bertQFormerTokenizer();
const lm = charLmTokenizer();
const encoders: ExampleEncoders = { tokenizers: { qformer, lm }, qformer, lm };

const text = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 400 });
const example = fc.record({ instruction: text, target: text, templateId: fc.constant('t/1') }) as fc.Arbitrary<RenderedExample>;
const limits = fc.record({
  qformerInstruction: fc.integer({ min: 3, max: 160 }), lmInstruction: fc.integer({ min: 2, max: 160 }), target: fc.integer({ min: 2, max: 300 }),
});

test('LM ids are [BOS] prompt target [EOS] and the loss mask covers exactly target and EOS', () => {
  fc.assert(fc.property(fc.array(example, { minLength: 1, maxLength: 6 }), limits, (examples, lim) => {
    const tokens = examples.map((e) => tokenizeExample(e, encoders, lim));
    const padded = padSequences(tokens.map((t) => t.lmIds), lm.padId);
    const [rows, length] = padded.ids.shape;
    const mask = targetLossMask(tokens, length).data;
    const labels = targetLabels(tokens, length).data;
    examples.forEach((e, b) => {
      const t = tokens[b];
      const target = lm.encode(e.target).slice(0, lim.target - 1);
      const prompt = lm.encode(e.instruction);
      const keptPrompt = prompt.slice(Math.max(0, prompt.length - (lim.lmInstruction - 1)));
      assert.deepEqual(t.lmIds, [LM_SPECIAL.bos, ...keptPrompt, ...target, LM_SPECIAL.eos]);
      assert.ok(t.lmIds.length - t.targetStart <= lim.target && t.targetStart <= lim.lmInstruction);
      const row = Array.from(mask.subarray(b * length, (b + 1) * length));
      const ids = Array.from(padded.ids.data.subarray(b * length, (b + 1) * length));
      const attention = Array.from(padded.attentionMask.data.subarray(b * length, (b + 1) * length));
      assert.deepEqual(ids.filter((_, i) => row[i] === 1), [...target, LM_SPECIAL.eos]);
      assert.deepEqual(row, ids.map((_, i) => (i >= t.targetStart && i < t.lmIds.length ? 1 : 0)));
      assert.deepEqual(attention, ids.map((_, i) => (i < t.lmIds.length ? 1 : 0)));
      assert.deepEqual(Array.from(labels.subarray(b * length, (b + 1) * length)), ids.map((id, i) => (row[i] === 1 ? id : IGNORE_LABEL)));
      assert.ok(ids.slice(t.lmIds.length).every((id) => id === lm.padId));
    });
    assert.equal(rows, examples.length);
  }), { numRuns: 150 });
});

test('Q-Former ids are [CLS] instruction [SEP] within the limit, the instruction cut from the left', () => {
  fc.assert(fc.property(example, limits, (e, lim) => {
    const { qformerIds } = tokenizeExample(e, encoders, lim);
    const all = qformer.encode(e.instruction);
    const kept = all.slice(Math.max(0, all.length - (lim.qformerInstruction - 2)));
    assert.deepEqual(qformerIds, [qformer.clsId, ...kept, qformer.sepId]);
    assert.ok(qformerIds.length <= lim.qformerInstruction);
  }), { numRuns: 100 });
});

test('the paper limits: 128 Q-Former tokens and 256 target tokens, special tokens included', () => {
  const long = 'word '.repeat(400);
  const t = tokenizeExample({ instruction: long, target: long, templateId: 't/1' }, encoders, PAPER_TOKEN_LIMITS);
  assert.equal(t.qformerIds.length, 128);
  assert.equal(t.targetStart, 128);
  assert.equal(t.lmIds.length - t.targetStart, 256);
  assert.equal(t.lmIds.at(-1), LM_SPECIAL.eos);
});

test('memoized encoding equals the tokenizer, per word for WordPiece and per text otherwise', () => {
  const anyText = fc.string({ unit: 'grapheme', maxLength: 80 });
  const words = fc.array(fc.constantFrom('the', 'Horse', 'café', 'x,y', '  ', '\t', '\n', 'naïve', 'don\'t', '2.5', '中文', '\u00a0', '\ufeff'), { maxLength: 12 }).map((w) => w.join(''));
  const q = memoizedEncode(qformer, 64);
  const l = memoizedEncode(lm, 64);
  fc.assert(fc.property(fc.oneof(anyText, words), (s) => {
    assert.deepEqual(q(s), qformer.encode(s));
    assert.deepEqual(l(s), lm.encode(s));
  }), { numRuns: 400 });
  const ids = q('horse');
  ids.push(-1);
  assert.deepEqual(q('horse'), qformer.encode('horse'), 'callers may not corrupt the cache');
});

test('multi-example records: one example per draw, a pure function of (seed, n), spread evenly', () => {
  assert.equal(pickExampleIndex(1, 5, 9), 0);
  const counts = [0, 0, 0];
  for (let n = 0; n < 3000; n++) counts[pickExampleIndex(3, 7, n)]++;
  assert.ok(counts.every((c) => c > 900 && c < 1100), `counts ${counts}`);
  assert.equal(pickExampleIndex(3, 7, 42), pickExampleIndex(3, 7, 42));
  assert.throws(() => pickExampleIndex(0, 1, 1), /cannot pick/);
});
