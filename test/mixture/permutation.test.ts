import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { feistelPermutation } from '../../pipelines/mixture/permutation.ts';

function assertBijection(size: number, key: number): void {
  const permutation = feistelPermutation(size, key);
  const seen = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const j = permutation(i);
    assert.ok(Number.isInteger(j) && j >= 0 && j < size, `size ${size} key ${key}: ${i} -> ${j}`);
    assert.equal(seen[j], 0, `size ${size} key ${key}: ${j} reached twice`);
    seen[j] = 1;
  }
}

test('a bijection on [0, size) for every size up to 300', () => {
  for (let size = 1; size <= 300; size++) for (const key of [0, 1, 0xdeadbeef]) assertBijection(size, key);
});

test('a bijection for random sizes and keys', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 30_000 }), fc.nat({ max: 0xffffffff }), assertBijection), { numRuns: 40 });
});

test('a large dataset: in range and injective on a stretch, with no array of its size', () => {
  const size = 13_873_136;
  const permutation = feistelPermutation(size, 42);
  const seen = new Set<number>();
  for (let i = 0; i < 50_000; i++) seen.add(permutation(size - 1 - i));
  assert.equal(seen.size, 50_000);
  assert.ok([...seen].every((j) => j >= 0 && j < size));
});

test('the order looks shuffled: unrelated to the index, different per key', () => {
  const size = 10_000;
  const a = feistelPermutation(size, 1);
  const b = feistelPermutation(size, 2);
  let displacement = 0;
  let same = 0;
  for (let i = 0; i < size; i++) {
    displacement += Math.abs(a(i) - i);
    if (a(i) === b(i)) same++;
  }
  // For a uniform permutation E|π(i) − i| = (size² − 1) / (3·size) ≈ size / 3.
  assert.ok(Math.abs(displacement / size - size / 3) < size * 0.02, String(displacement / size));
  assert.ok(same < 10, String(same));
});

test('bad sizes and indices are refused', () => {
  assert.throws(() => feistelPermutation(0, 1), /positive integer/);
  assert.throws(() => feistelPermutation(2.5, 1), /positive integer/);
  const permutation = feistelPermutation(10, 1);
  for (const bad of [-1, 10, 1.5, Number.NaN]) assert.throws(() => permutation(bad), /outside \[0, 10\)/);
});
