import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { QuestionJoin } from '../../pipelines/sources/vqav2/question-join.ts';

/** Claims: mostly the listed ids in order, with some skipped, repeated, swapped or unknown. */
const scenario = (distinct: boolean) =>
  fc
    .array(fc.integer({ min: 0, max: distinct ? 1000 : 8 }), { maxLength: 40 })
    .map((ids) => (distinct ? [...new Set(ids)] : ids))
    .chain((ids) => fc.tuple(fc.constant(ids), fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant('next' as const) }, fc.constantFrom('skip' as const, 'repeat' as const), fc.integer({ min: -5, max: 1005 })), { maxLength: 50 })));

function claimsOf(ids: number[], moves: ('next' | 'skip' | 'repeat' | number)[]): number[] {
  const claims: number[] = [];
  let at = 0;
  for (const move of moves) {
    if (typeof move === 'number') claims.push(move);
    else if (move === 'skip') at++;
    else if (move === 'repeat' && claims.length > 0) claims.push(claims.at(-1)!);
    else if (at < ids.length) claims.push(ids[at++]!);
  }
  return claims;
}

test('with distinct ids the join answers exactly as a map with get and delete would, for claims in order or not', () => {
  fc.assert(
    fc.property(scenario(true), ([ids, moves]) => {
      const join = new QuestionJoin<string>();
      const map = new Map<number, string>();
      ids.forEach((id, i) => {
        join.add(id, `q${i}`);
        map.set(id, `q${i}`);
      });
      for (const id of claimsOf(ids, moves)) {
        const want = map.get(id);
        map.delete(id);
        assert.equal(join.claim(id), want);
      }
      assert.deepEqual([...join.unclaimed()], [...map]);
    }),
    { numRuns: 500 },
  );
});

test('with repeated ids every listing is claimed at most once, by its own id, or left unclaimed exactly once', () => {
  fc.assert(
    fc.property(scenario(false), ([ids, moves]) => {
      const join = new QuestionJoin<number>();
      ids.forEach((id, i) => join.add(id, i));
      const claimed: number[] = [];
      for (const id of claimsOf(ids, moves)) {
        const listing = join.claim(id);
        if (listing === undefined) continue;
        assert.equal(ids[listing], id);
        claimed.push(listing);
      }
      const left = [...join.unclaimed()].map(([id, listing]) => {
        assert.equal(ids[listing], id);
        return listing;
      });
      assert.deepEqual([...claimed, ...left].sort((a, b) => a - b), ids.map((_, i) => i));
    }),
    { numRuns: 500 },
  );
});

test('listings added while claims go on: has() tells whether claim() finds one, and both answer as a map would', () => {
  const operations = fc.array(fc.oneof(
    { weight: 3, arbitrary: fc.constant('add' as const) },
    { weight: 3, arbitrary: fc.constant('next' as const) },
    fc.integer({ min: 0, max: 60 }),
  ), { maxLength: 80 });
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }), operations, (ids, ops) => {
      const join = new QuestionJoin<string>();
      const map = new Map<number, string>();
      let added = 0;
      let nextClaim = 0;
      for (const op of ops) {
        if (op === 'add') {
          if (added === ids.length) continue;
          join.add(ids[added], `q${added}`);
          map.set(ids[added], `q${added}`);
          added++;
          continue;
        }
        const id = op === 'next' ? ids[nextClaim++] ?? -1 : op;
        assert.equal(join.has(id), map.has(id));
        const want = map.get(id);
        map.delete(id);
        assert.equal(join.claim(id), want);
      }
      assert.deepEqual([...join.unclaimed()], [...map]);
    }),
    { numRuns: 500 },
  );
});
