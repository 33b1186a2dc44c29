import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonMemberBatches, jsonMembers, type JsonMember } from '../../pipelines/util/json-stream.ts';

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

/** The document cut into chunks of random sizes (so cuts split UTF-8 sequences), as a byte stream. */
const chunking = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 });

function inChunks(text: string, sizes: number[]): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(parts, { objectMode: false });
}

async function stream(text: string, sizes: number[], path: string[] = []): Promise<JsonMember[]> {
  const out: JsonMember[] = [];
  for await (const batch of jsonMemberBatches(inChunks(text, sizes), path, 'test.json')) out.push(...batch);
  return out;
}

/** Any code point in strings and keys, multi-byte UTF-8 included. */
const anyJson = fc.jsonValue({ stringUnit: 'binary' });
const anyKey = fc.string({ unit: 'binary' });
const anyContainer = fc.oneof(fc.array(anyJson), fc.dictionary(anyKey, anyJson));

test('streamed members equal JSON.parse of the whole, for any container, chunk sizes and layout', async () => {
  await fc.assert(fc.asyncProperty(anyContainer, chunking, fc.constantFrom(undefined, 1, '\t'), async (value, sizes, indent) => {
    const text = JSON.stringify(value, null, indent);
    assert.deepEqual(await stream(text, sizes), expected(JSON.parse(text)));
  }), { numRuns: 300 });
});

test('the container under a key path streams the same, whatever its siblings hold', async () => {
  const doc = fc.record({ before: anyJson, data: anyContainer, after: anyJson });
  await fc.assert(fc.asyncProperty(doc, chunking, async ({ before, data, after }, sizes) => {
    const text = JSON.stringify({ info: { data: before }, data, after });
    assert.deepEqual(await stream(text, sizes, ['data']), expected(JSON.parse(text).data));
  }), { numRuns: 200 });
});

/** Valid JSON with one edit: a character inserted, deleted or replaced, or the text cut short. */
const edited = fc.tuple(anyContainer, fc.nat(), fc.constantFrom(...'[]{}",:\\ 0aé€', ''), fc.constantFrom('insert', 'delete', 'replace', 'cut'))
  .map(([value, position, char, edit]) => {
    // Edited by code point: a lone surrogate has no UTF-8 bytes to stream.
    const text = [...JSON.stringify(value)];
    const at = position % (text.length + 1);
    if (edit === 'cut') return text.slice(0, at).join('');
    return [...text.slice(0, at), char, ...text.slice(edit === 'insert' ? at : at + 1)].join('');
  });

test('any text streams as JSON.parse reads it, or fails naming the file and a byte offset', async () => {
  await fc.assert(fc.asyncProperty(edited, chunking, async (text, sizes) => {
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined;
    }
    if (typeof whole === 'object' && whole !== null) {
      const members = await stream(text, sizes);
      // Repeated keys are streamed each time; JSON.parse keeps the last.
      assert.deepEqual(Array.isArray(whole) ? members.map((m) => m.value) : Object.fromEntries(members.map((m) => [m.key, m.value])), whole);
    } else {
      await assert.rejects(stream(text, sizes), /^Error: test\.json: .*\bbyte \d+.*run ingest again$/);
    }
  }), { numRuns: 1000 });
});

test('errors give the byte offset of the bad member or token', async () => {
  const text = '[1, 2, {"a": tru}, 4]';
  for (const sizes of [[1], [5], [100]]) {
    await assert.rejects(stream(text, sizes), /test\.json: member 2 at byte 7 is not valid JSON/);
  }
  await assert.rejects(stream('{"a": 1, "b" 2}', [3]), /at byte|before byte/);
  await assert.rejects(stream('[1, 2,]', [2]), /a trailing "," before byte 6/);
  await assert.rejects(stream('[1, 2}', [4]), /mismatched "}" at byte 5/);
  await assert.rejects(stream('[[1], 2', [4]), /ends early at byte 7/);
});

test('a byte order mark before the document is skipped, even split across chunks', async () => {
  for (const sizes of [[1], [2], [64]]) assert.deepEqual(await stream('\ufeff[1, "é"]', sizes), expected([1, 'é']));
});

test('a long container is handed on in several batches, within one chunk too, every member once and in order', async () => {
  const rows = Array.from({ length: 4000 }, (_, i) => ({ id: i, text: 'é€😀"\\,]}'.repeat(i % 7), nested: [i, { k: 'x'.repeat(i % 50) }] }));
  const byKey = Object.fromEntries(rows.map((row) => [`k${row.id}`, row]));
  for (const container of [rows, byKey]) {
    const text = JSON.stringify(container, null, 1);
    for (const size of [Buffer.byteLength(text), 1 << 20, 65_537, 4_093]) {
      const batches: JsonMember[][] = [];
      for await (const batch of jsonMemberBatches(inChunks(text, [size]), [], 'test.json')) batches.push(batch);
      assert.ok(batches.length > 3, `${batches.length} batch(es) for chunks of ${size} bytes`);
      assert.deepEqual(batches.flat(), expected(container));
    }
  }
});

test('a bad member deep in a long container is named by its index and byte offset', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => ({ id: i, text: '东京 😀'.repeat(i % 5) }));
  const text = JSON.stringify(rows).replace('{"id":2500,', '{"id":25 00,');
  const at = Buffer.byteLength(text.slice(0, text.indexOf('{"id":25 00,')));
  for (const size of [1 << 20, 4_093]) {
    await assert.rejects(stream(text, [size]), new RegExp(`member 2500 at byte ${at} is not valid JSON`));
  }
});

test('compact arrays of objects stream as JSON.parse reads them with "},{" inside strings, nested arrays of objects and text after the array', async () => {
  // Strings from the characters a cut could be fooled by; nested arrays of objects put "},{" one level down.
  const tricky = fc.string({ unit: fc.constantFrom('}', ',', '{', '"', '\\', '[', ']', ':', 'a', 'é'), maxLength: 12 });
  // Nested objects that open with the members' first key, as a cut on a member's opening would be fooled by.
  const nested = fc.oneof(fc.record({ a: tricky }), fc.record({ q: tricky }));
  const member = fc.record({ q: tricky, n: fc.integer(), answers: fc.array(nested, { maxLength: 4 }) });
  const doc = fc.record({ info: fc.constant({ v: 1 }), data: fc.array(member, { maxLength: 40 }), after: fc.array(fc.record({ x: tricky }), { maxLength: 3 }) });
  await fc.assert(
    fc.asyncProperty(doc, chunking, async (value, sizes) => {
      const text = JSON.stringify(value);
      const got: JsonMember[] = [];
      for await (const m of jsonMembers(inChunks(text, sizes), ['data'], 'test.json')) got.push(m);
      assert.deepEqual(got, expected((JSON.parse(text) as { data: unknown[] }).data));
    }),
    { numRuns: 300 },
  );
});

test('a compact array read a megabyte at a time comes in batches of about 64 KB, the first one too', async () => {
  const members = Array.from({ length: 15000 }, (_, i) => ({ question_type: 'what color is the', answers: [{ answer: `a${i}`, answer_id: 1 }], question_id: i }));
  const text = JSON.stringify({ info: { v: 1 }, annotations: members });
  const batches: JsonMember[][] = [];
  for await (const batch of jsonMemberBatches(inChunks(text, [1 << 20]), ['annotations'], 'test.json')) batches.push(batch);
  assert.deepEqual(batches.flat(), expected(members.map((m) => JSON.parse(JSON.stringify(m)))));
  const bytesOf = (batch: JsonMember[]) => batch.reduce((n, m) => n + JSON.stringify(m.value).length + 1, 0);
  assert.ok(batches.length >= Math.floor(text.length / (64 * 1024)), `${batches.length} batches for ${text.length} bytes`);
  for (const batch of batches) assert.ok(bytesOf(batch) < 80 * 1024, `a batch of ${bytesOf(batch)} bytes`);
});
