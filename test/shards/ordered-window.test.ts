import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OrderedWindow } from '../../pipelines/shards/build/ordered-window.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('items are handled in input order, one at a time, whether values or promises resolving in any order', async () => {
  const item = fc.record({ delay: fc.option(fc.integer({ min: 0, max: 3 })), slowHandler: fc.boolean() });
  await fc.assert(fc.asyncProperty(fc.array(item, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (items, size) => {
    const handled: number[] = [];
    let busy = false;
    const window = new OrderedWindow<number>(size, (i) => {
      assert.equal(busy, false, 'a handler ran while the previous one was still busy');
      handled.push(i);
      if (!items[i].slowHandler) return undefined;
      busy = true;
      return tick(1).then(() => {
        busy = false;
      });
    });
    for (const [i, { delay }] of items.entries()) {
      const pushed = window.push(delay === null ? i : tick(delay).then(() => i));
      if (pushed) await pushed;
    }
    await window.drain();
    assert.deepEqual(handled, items.map((_, i) => i));
  }), { numRuns: 60 });
});

test('a resolved item with nothing ahead is handled at once, without a promise to wait for', () => {
  const handled: string[] = [];
  const window = new OrderedWindow<string>(4, (s) => {
    handled.push(s);
  });
  assert.equal(window.push('a'), undefined);
  assert.deepEqual(handled, ['a']);
});

test('a rejected item fails the push that reaches it; discard lets the rest settle', async () => {
  const window = new OrderedWindow<number>(2, () => undefined);
  window.push(Promise.reject(new Error('bad image')));
  await assert.rejects(async () => window.push(1), /bad image/);
  await window.discard();
});
