import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hash32, hashExtend } from '../../pipelines/util/random.ts';

const coordinate = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer({ min: -1e9, max: 0 }));

test('hashExtend adds one coordinate to a hash32 prefix', () => {
  fc.assert(fc.property(fc.nat({ max: 0xffffffff }), fc.array(coordinate, { maxLength: 4 }), coordinate, (seed, coords, c) => {
    assert.equal(hashExtend(hash32(seed, ...coords), c), hash32(seed, ...coords, c));
  }), { numRuns: 2000 });
});

test('hash32 values are unchanged by its use of hashExtend', () => {
  assert.equal(hash32(1, 2, 3), 2761775142);
  assert.equal(hash32(20230511, 2 ** 33 + 5), 1042504545);
});
