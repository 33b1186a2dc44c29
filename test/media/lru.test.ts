import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LruMap } from '../../pipelines/media/lru.ts';

test('the cache keeps the most recent entries and holds at most its capacity', () => {
  fc.assert(fc.property(fc.integer({ min: 2, max: 20 }), fc.array(fc.nat({ max: 50 }), { maxLength: 200 }), (capacity, keys) => {
    const cache = new LruMap<number, number>(capacity);
    for (const k of keys) if (cache.get(k) === undefined) cache.set(k, k * 10);
    const recent = [...new Set([...keys].reverse())].slice(0, Math.ceil(capacity / 2) - 1);
    for (const k of recent) assert.equal(cache.get(k), k * 10, `key ${k} was used recently`);
    const held = Array.from({ length: 51 }, (_, k) => k).filter((k) => cache.get(k) !== undefined);
    assert.ok(held.length <= capacity, `${held.length} entries for capacity ${capacity}`);
  }));
});
