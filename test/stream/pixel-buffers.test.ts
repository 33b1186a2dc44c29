import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PixelBuffers } from '../../pipelines/stream/pixel-buffers.ts';

test('given-back arrays are reused for the same length only, and each is out at most once', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom(12, 48)), { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (ops, keep) => {
      const buffers = new PixelBuffers(keep);
      const out: Float32Array[] = [];
      for (const [takeOne, length] of ops) {
        if (takeOne || out.length === 0) {
          const { data, reused } = buffers.take(length);
          assert.equal(data.length, length);
          assert.ok(!out.includes(data), 'an array is never handed out twice at once');
          if (!reused) assert.ok(data.every((v) => v === 0), 'a new array holds zeros');
          out.push(data);
        } else {
          buffers.give(out.shift()!);
        }
      }
    }),
  );
});

test('shared memory while arrays come back; ordinary arrays once `keep` are out and kept; a second give is refused', () => {
  const buffers = new PixelBuffers(2);
  const first = buffers.take(8).data;
  assert.ok(first.buffer instanceof SharedArrayBuffer);
  buffers.give(first);
  assert.throws(() => buffers.give(first), /given back twice/);
  const kept = [buffers.take(8), buffers.take(8)];
  assert.equal(kept[0]!.data, first);
  assert.ok(kept.every((k) => k.data.buffer instanceof SharedArrayBuffer));
  assert.ok(!(buffers.take(8).data.buffer instanceof SharedArrayBuffer), 'two shared arrays are out: the third is ordinary');
  assert.throws(() => buffers.give(new Float32Array(8)), /not taken from this pool/);
});
