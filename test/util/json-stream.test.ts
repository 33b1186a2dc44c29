import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonMembers, type JsonMember } from '../../pipelines/util/json-stream.ts';

/** The document's bytes cut at the given offsets, so chunks split tokens and UTF-8 sequences. */
function chunked(text: string, cuts: number[]): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  return Readable.from(parts, { objectMode: false });
}

async function collect(text: string, path: string[] = [], cuts: number[] = []): Promise<JsonMember[]> {
  const out: JsonMember[] = [];
  for await (const m of jsonMembers(chunked(text, cuts), path, 'test.json')) out.push(m);
  return out;
}

const expected = (container: unknown[] | Record<string, unknown>): JsonMember[] =>
  Array.isArray(container)
    ? container.map((value, key) => ({ key, value }))
    : Object.entries(container).map(([key, value]) => ({ key, value }));

test('members of any array or object match JSON.parse, whatever the chunking and spacing', async () => {
  const container = fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()));
  await fc.assert(fc.asyncProperty(container, fc.array(fc.nat()), fc.boolean(), async (value, cuts, pretty) => {
    const text = JSON.stringify(value, null, pretty ? 2 : undefined);
    assert.deepEqual(await collect(text, [], cuts), expected(JSON.parse(text)));
  }), { numRuns: 200 });
});

test('a key path selects a nested container and skips its siblings', async () => {
  const doc = { dataset_type: 'train', version: 0.1, nested: { data: [9] }, data: [{ a: '}]"' }, 'x', 3, null] };
  assert.deepEqual(await collect(JSON.stringify(doc), ['data'], [5, 17, 40]), expected(doc.data));
  assert.deepEqual(await collect(JSON.stringify({ a: { b: { k: 1 } } }), ['a', 'b']), [{ key: 'k', value: 1 }]);
});

test('malformed documents throw', async () => {
  await assert.rejects(collect('[{"a": 1}, {"b": '), /^Error: test.json: the document ends early.*run ingest again$/);
  await assert.rejects(collect('[1, 2]]'), /mismatched|after the end/);
  await assert.rejects(collect(''), /empty/);
  await assert.rejects(collect('42'), /not an array or object/);
  await assert.rejects(collect('{"x": []}', ['data']), /no array or object under "data"/);
  await assert.rejects(collect('[{"a": tru}]'), /not valid JSON/);
});
