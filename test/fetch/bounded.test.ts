import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { forEachBounded } from '../../pipelines/fetch/bounded.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* slowly(n: number) {
  for (let i = 0; i < n; i++) {
    if (i % 7 === 0) await tick(0);
    yield i;
  }
}

test('every item runs once, never more than `concurrency` at a time, and intake stays bounded', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.nat(60), fc.array(fc.nat(3), { minLength: 1, maxLength: 10 }), async (concurrency, n, delays) => {
    let running = 0;
    let peak = 0;
    let pulled = 0;
    let done = 0;
    let peakAhead = 0;
    const seen: number[] = [];
    async function* counted() {
      for await (const i of slowly(n)) {
        pulled++;
        peakAhead = Math.max(peakAhead, pulled - done);
        yield i;
      }
    }
    await forEachBounded(counted(), concurrency, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await tick(delays[i % delays.length]);
      seen.push(i);
      running--;
      done++;
    });
    assert.deepEqual([...seen].sort((a, b) => a - b), [...Array(n).keys()]);
    assert.ok(peak <= concurrency, `peak ${peak} > ${concurrency}`);
    assert.ok(peakAhead <= concurrency * 2, `pulled ${peakAhead} ahead`);
  }), { numRuns: 40 });
});

test('the first error stops the intake and is thrown after running tasks finish', async () => {
  let started = 0;
  let finished = 0;
  await assert.rejects(forEachBounded(slowly(1000), 4, async (i) => {
    started++;
    await tick(1);
    if (i === 10) throw new Error('item 10 broke');
    finished++;
  }), /item 10 broke/);
  assert.ok(started < 1000, `started ${started}`);
  assert.equal(finished, started - 1);
});
