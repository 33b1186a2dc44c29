import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Field, Utf8 } from 'apache-arrow';
import { columnEncoder } from '../../pipelines/shards/column-encoder.ts';

/** What any UTF-8 column must hold: each value's own Buffer.from bytes, one after the other. */
function reference(values: (string | null)[]): { offsets: number[]; bytes: Buffer } {
  const parts = values.map((v) => Buffer.from(v ?? '', 'utf8'));
  const offsets = [0];
  for (const p of parts) offsets.push(offsets.at(-1)! + p.length);
  return { offsets, bytes: Buffer.concat(parts) };
}

function encode(values: (string | null)[]): { offsets: number[]; bytes: Buffer; nulls: number } {
  const encoder = columnEncoder(new Field('text', new Utf8(), true));
  for (const v of values) encoder.push(v);
  const data = encoder.finish();
  return { offsets: [...data.valueOffsets], bytes: Buffer.from(data.values), nulls: data.nullCount };
}

const value = fc.oneof(
  fc.constantFrom('yes', 'no', '', 'é', 'vqav2', 'a'.repeat(64), 'two words and then some more words'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Lone surrogates become U+FFFD one value at a time; joined with a neighbour they could pair up.
  fc.constantFrom('\ud800', '\udc00', 'x\ud83d', '\ude00y'),
  fc.string({ unit: 'binary-ascii', minLength: 17, maxLength: 80 }),
  fc.constant(null),
);
/** Values with runs: each drawn value repeated up to 40 times. */
const values = fc.array(fc.tuple(value, fc.integer({ min: 1, max: 40 })), { maxLength: 60 })
  .map((runs) => runs.flatMap(([v, n]) => Array<string | null>(n).fill(v)));

test('a utf8 column holds exactly the bytes and offsets of each value encoded on its own', () => {
  fc.assert(fc.property(values, (vs) => {
    const got = encode(vs);
    const want = reference(vs);
    assert.deepEqual(got.offsets, want.offsets);
    assert.ok(got.bytes.equals(want.bytes));
    assert.equal(got.nulls, vs.filter((v) => v === null).length);
  }), { numRuns: 400 });
});

test('a utf8 column spanning many pending writes and long runs', () => {
  const vs = Array.from({ length: 5000 }, (_, i) => (i % 1000 < 600 ? 'vqav2-qg' : i % 7 === 0 ? null : `question ${i} about the dog é?`));
  const got = encode(vs);
  const want = reference(vs);
  assert.deepEqual(got.offsets, want.offsets);
  assert.ok(got.bytes.equals(want.bytes));
});

test('after finish an encoder starts empty: a second batch encodes like a first', () => {
  const field = new Field('text', new Utf8(), true);
  const encoder = columnEncoder(field);
  const first = ['vqav2', 'vqav2', 'vqav2', 'vqav2', 'vqav2', 'vqav2', 'vqav2', 'vqav2', 'vqav2', null, 'a question long enough to wait'];
  const second = ['vqav2', 'é', null, 'another question long enough to wait'];
  for (const v of first) encoder.push(v);
  encoder.finish();
  for (const v of second) encoder.push(v);
  const data = encoder.finish();
  const want = reference(second);
  assert.deepEqual([...data.valueOffsets], want.offsets);
  assert.ok(Buffer.from(data.values).equals(want.bytes));
  assert.equal(data.nullCount, 1);
});
