import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  SafetensorsError,
  SafetensorsReader,
  bytesSource,
  encodeSafetensors,
  readSafetensorsFile,
  writeSafetensorsFile,
  type ByteSource,
  type TensorToWrite,
} from '../../trainer/weights.ts';
import { bf16BitsToFloat, f16BitsToFloat, floatToBf16Bits, floatToF16Bits } from '../../trainer/weights-dtype.ts';

/** Builds a file from a literal header and data bytes, to craft corrupt inputs precisely. */
function rawFile(header: unknown, dataBytes: number, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const parse = (bytes: Uint8Array) => new SafetensorsReader(bytesSource(bytes), 'test.safetensors');

test('round trip of every supported dtype, with metadata', () => {
  const tensors: TensorToWrite[] = [
    { name: 'a.weight', shape: [2, 3], values: Float32Array.from([1, -2.5, 3e-3, 0, 1e20, -7]) },
    { name: 'ids', shape: [4], values: Int32Array.from([0, -1, 2147483647, -2147483648]) },
    { name: 'half', shape: [3], values: Float32Array.from([1, -0.5, 65504]), dtype: 'F16' },
    { name: 'brain', shape: [2], values: Float32Array.from([1.5, -3.25]), dtype: 'BF16' },
    { name: 'long', shape: [2], values: Int32Array.from([5, -6]), dtype: 'I64' },
    { name: 'empty', shape: [0, 4], values: new Float32Array(0) },
  ];
  const reader = parse(encodeSafetensors(tensors, { format: 'pt' }));
  assert.deepEqual(reader.metadata, { format: 'pt' });
  for (const t of tensors) {
    const got = reader.read(t.name);
    assert.deepEqual(got.shape, t.shape);
    assert.deepEqual(Array.from(got.values), Array.from(t.values), t.name);
    assert.equal(got.values instanceof Int32Array, t.values instanceof Int32Array, t.name);
  }
});

test('offsets stay aligned when half-precision tensors of odd size precede float32 ones', () => {
  const bytes = encodeSafetensors([
    { name: 'h', shape: [3], values: new Float32Array(3), dtype: 'F16' },
    { name: 'f', shape: [1], values: Float32Array.from([2]) },
  ]);
  assert.deepEqual(Array.from(parse(bytes).read('f').values), [2]);
});

test('f16 and bf16 conversions: exact values, subnormals, overflow, ties to even', () => {
  assert.equal(floatToF16Bits(1), 0x3c00);
  assert.equal(floatToF16Bits(-2), 0xc000);
  assert.equal(floatToF16Bits(65504), 0x7bff);
  assert.equal(floatToF16Bits(65520), 0x7c00); // rounds up to infinity
  assert.equal(floatToF16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(floatToF16Bits(2 ** -25), 0x0000); // tie rounds to even (zero)
  assert.equal(floatToF16Bits(3 * 2 ** -25), 0x0002); // tie rounds to even (two)
  assert.equal(floatToF16Bits(1 + 2 ** -11), 0x3c00); // tie at 1 + half ulp goes to even
  assert.equal(floatToF16Bits(1 + 3 * 2 ** -11), 0x3c02);
  assert.ok(Number.isNaN(f16BitsToFloat(floatToF16Bits(NaN))));
  assert.equal(f16BitsToFloat(0x7c00), Infinity);
  assert.equal(f16BitsToFloat(0x0001), 2 ** -24);
  for (let bits = 0; bits < 0x7c00; bits += 7) assert.equal(floatToF16Bits(f16BitsToFloat(bits)), bits);
  assert.equal(floatToBf16Bits(1), 0x3f80);
  assert.equal(bf16BitsToFloat(0x3f80), 1);
  assert.equal(floatToBf16Bits(1 + 2 ** -8), 0x3f80); // tie to even
  assert.equal(floatToBf16Bits(1 + 3 * 2 ** -8), 0x3f82);
  assert.ok(Number.isNaN(bf16BitsToFloat(floatToBf16Bits(NaN))));
});

test('an I64 value outside int32 is refused with the tensor name', () => {
  const bytes = rawFile({ big: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8);
  new DataView(bytes.buffer).setBigInt64(bytes.length - 8, 2n ** 40n, true);
  assert.throws(() => parse(bytes).read('big'), /tensor "big": I64 value 1099511627776 .* int32/);
});

const corrupt: Array<[string, Uint8Array, RegExp]> = [
  ['shorter than 8 bytes', new Uint8Array(5), /shorter than the 8-byte header length/],
  ['header length past the end', rawFile({}, 0, 1000n), /header length 1000 runs past the end/],
  ['header length beyond 2^53', rawFile({}, 0, 2n ** 63n), /runs past the end/],
  ['bad JSON', rawFile('{"a": ', 0), /not valid UTF-8 JSON/],
  ['a JSON array', rawFile('[1, 2]', 0), /not a JSON object/],
  ['invalid UTF-8', rawFile('{"\xff": 1}', 0).map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8 JSON/],
  ['offsets past the end', rawFile({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), /tensor "w": data_offsets \[0, 16\] run past the end of the data \(8 bytes/],
  ['offsets reversed', rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, 8), /tensor "w": data_offsets \[8, 0\] end before they begin/],
  ['size not matching the shape', rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), /tensor "w": .* hold 8 bytes but F32 \[3\] needs 12/],
  [
    'overlapping tensors',
    rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12),
    /tensors "a" \[0, 8\] and "b" \[4, 12\] overlap/,
  ],
  [
    'overlap hidden behind an empty tensor',
    rawFile({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, e: { dtype: 'F32', shape: [0], data_offsets: [4, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 16),
    /"a" \[0, 16\] and "b" \[8, 12\] overlap/,
  ],
  ['misaligned offsets', rawFile({ w: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } }, 8), /begin 2 is not aligned to the 4-byte F32 element/],
  ['unknown dtype', rawFile({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, 8), /tensor "w": unsupported dtype "C64"/],
  ['negative shape', rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, 0), /shape \[-1\] is not a list of non-negative integers/],
  ['fractional offsets', rawFile({ w: { dtype: 'F32', shape: [1], data_offsets: [0.5, 4.5] } }, 8), /data_offsets \[0.5,4.5\] is not a pair/],
  ['bad metadata', rawFile({ __metadata__: { a: 1 } }, 0), /__metadata__ must map strings to strings/],
];
for (const [what, bytes, message] of corrupt) {
  test(`refuses a file with ${what}`, () => {
    assert.throws(() => parse(bytes), (error: unknown) => error instanceof SafetensorsError && message.test(error.message) && error.message.includes('test.safetensors'));
  });
}

test('a truncated file is refused before any tensor is read', () => {
  const bytes = encodeSafetensors([{ name: 'w', shape: [8], values: new Float32Array(8).fill(1) }]);
  assert.throws(() => parse(bytes.subarray(0, bytes.length - 1)), /tensor "w": data_offsets \[0, 32\] run past the end of the data \(31 bytes; file truncated\?\)/);
});

test('the writer refuses a value count that does not match the shape, naming the tensor', () => {
  assert.throws(() => encodeSafetensors([{ name: 'x.w', shape: [2, 2], values: new Float32Array(3) }]), /tensor "x.w" has 3 values but shape \[2,2\] needs 4/);
});

test('file round trip reads tensor by tensor from disk', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-'));
  try {
    const file = path.join(dir, 'model.safetensors');
    await writeSafetensorsFile(file, [{ name: 'w', shape: [2], values: Float32Array.from([1, 2]) }], { note: 'x' });
    const { tensors, metadata } = readSafetensorsFile(file);
    assert.deepEqual(Array.from(tensors.get('w')!.values), [1, 2]);
    assert.deepEqual(metadata, { note: 'x' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A byte source that fails the test on any read outside the file. */
function strictSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      assert.ok(Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= bytes.length, `out-of-bounds read ${offset}+${length} of ${bytes.length}`);
      return bytes.subarray(offset, offset + length);
    },
  };
}

const tensorArb = fc.record({
  name: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== '__metadata__'),
  dtype: fc.constantFrom('F32' as const, 'F16' as const, 'BF16' as const, 'I32' as const, 'I64' as const),
  shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
});

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('headerLength' as const), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ kind: fc.constant('offsets' as const), pick: fc.nat(), begin: fc.integer({ min: -8, max: 400 }), end: fc.integer({ min: -8, max: 400 }) }),
);

test('property: a mutated valid file is either refused with SafetensorsError or read fully in bounds', () => {
  fc.assert(
    fc.property(fc.uniqueArray(tensorArb, { selector: (t) => t.name, maxLength: 5 }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (specs, mutations) => {
      let bytes: Uint8Array = encodeSafetensors(
        specs.map((s, i) => {
          const n = s.shape.reduce((a, b) => a * b, 1);
          const isInt = s.dtype === 'I32' || s.dtype === 'I64';
          return { name: s.name, shape: s.shape, dtype: s.dtype, values: isInt ? Int32Array.from({ length: n }, (_, j) => j - i) : Float32Array.from({ length: n }, (_, j) => j / 4 - i) };
        }),
      );
      for (const m of mutations) {
        if (m.kind === 'truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
        else if (m.kind === 'flip' && bytes.length > 0) (bytes = bytes.slice())[m.at % bytes.length] = m.value;
        else if (m.kind === 'headerLength' && bytes.length >= 8) new DataView((bytes = bytes.slice()).buffer).setBigUint64(0, m.value, true);
        else if (m.kind === 'offsets' && specs.length > 0 && bytes.length >= 8) {
          // Rewrite one tensor's offsets inside a still-valid JSON header.
          const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
          if (8 + length > bytes.length) continue;
          let header: Record<string, { data_offsets: number[] }>;
          try {
            header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
          } catch {
            continue;
          }
          const name = specs[m.pick % specs.length]!.name;
          if (header[name] === undefined) continue;
          header[name].data_offsets = [m.begin, m.end];
          const json = new TextEncoder().encode(JSON.stringify(header));
          const rebuilt = new Uint8Array(8 + json.length + (bytes.length - 8 - length));
          new DataView(rebuilt.buffer).setBigUint64(0, BigInt(json.length), true);
          rebuilt.set(json, 8);
          rebuilt.set(bytes.subarray(8 + length), 8 + json.length);
          bytes = rebuilt;
        }
      }
      let reader: SafetensorsReader;
      try {
        reader = new SafetensorsReader(strictSource(bytes), 'mutated');
      } catch (error) {
        assert.ok(error instanceof SafetensorsError, `unexpected ${String(error)}`);
        return;
      }
      for (const [name, entry] of reader.tensors) {
        try {
          const data = reader.read(name);
          assert.equal(data.values.length, entry.shape.reduce((a, b) => a * b, 1));
        } catch (error) {
          assert.ok(error instanceof SafetensorsError, `unexpected ${String(error)}`);
        }
      }
    }),
    { numRuns: 500, seed: 20230511 },
  );
});
