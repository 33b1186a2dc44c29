import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HELD_IN_IDS } from '../../pipelines/catalog.ts';
import type { MixturePlan } from '../../pipelines/mixture/plan.ts';
import { MixtureSampler, type Draw, type SamplerOptions, type SamplerState } from '../../pipelines/mixture/sampler.ts';
import { mixturePlan } from './arbitraries.ts';

const take = (sampler: MixtureSampler, count: number): Draw[] => Array.from({ length: count }, () => sampler.next());
/** As a checkpoint stores it. */
const roundTrip = (state: SamplerState): SamplerState => JSON.parse(JSON.stringify(state));

const ranks = fc.record({ world: fc.integer({ min: 1, max: 5 }), block: fc.integer({ min: 1, max: 4 }) })
  .chain(({ world, block }) => fc.record({ world: fc.constant(world), block: fc.constant(block), rank: fc.integer({ min: 0, max: world - 1 }) }));

test('the stream is a pure function of the plan', () => {
  fc.assert(fc.property(mixturePlan(), (plan) => {
    assert.deepEqual(take(new MixtureSampler(plan), 300), take(new MixtureSampler(plan), 300));
  }), { numRuns: 30 });
});

test('observed shares converge to the target: within 1% absolute after 200k draws', () => {
  fc.assert(fc.property(mixturePlan(), (plan) => {
    const sampler = new MixtureSampler(plan);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) sampler.next();
    const { cursors } = sampler.state();
    plan.datasets.forEach((id, d) => {
      const observed = cursors[id] / draws;
      assert.ok(Math.abs(observed - plan.probabilities[d]) < 0.01, `${plan.policy} ${id}: ${observed} vs ${plan.probabilities[d]}`);
    });
  }), { numRuns: 4 });
});

test('resuming from a saved state at any draw equals the uninterrupted stream', () => {
  fc.assert(fc.property(mixturePlan(40), ranks, fc.nat(400), fc.integer({ min: 1, max: 400 }), (plan, options, before, after) => {
    const uninterrupted = take(new MixtureSampler(plan, options), before + after);
    const first = new MixtureSampler(plan, options);
    const head = take(first, before);
    const resumed = new MixtureSampler(plan, { ...options, resumeFrom: roundTrip(first.state()) });
    assert.deepEqual([...head, ...take(resumed, after)], uninterrupted);
  }), { numRuns: 200 });
});

test('ranks partition the stream: disjoint, and together exactly the single-rank stream', () => {
  fc.assert(fc.property(mixturePlan(40), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 40 }), (plan, world, block, steps) => {
    const single = take(new MixtureSampler(plan), world * block * steps);
    const union = Array.from({ length: world }, (_, rank) => take(new MixtureSampler(plan, { rank, world, block }), block * steps)).flat();
    union.sort((x, y) => x.n - y.n);
    assert.deepEqual(union, single);
  }), { numRuns: 150 });
});

test('with block = per-rank batch, rank 0\'s state after a step is the global state, resumable at any world size', () => {
  fc.assert(fc.property(mixturePlan(40), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 }), (plan, world, batch, steps, newWorld) => {
    const rank0 = new MixtureSampler(plan, { rank: 0, world, block: batch });
    take(rank0, batch * steps);
    const single = new MixtureSampler(plan);
    take(single, world * batch * steps);
    assert.deepEqual(rank0.state(), single.state());
    const continued = take(single, newWorld * batch * 3);
    const resumed = Array.from({ length: newWorld }, (_, rank) =>
      take(new MixtureSampler(plan, { rank, world: newWorld, block: batch, resumeFrom: roundTrip(rank0.state()) }), batch * 3)).flat();
    assert.deepEqual(resumed.sort((x, y) => x.n - y.n), continued);
  }), { numRuns: 100 });
});

test('each epoch of a dataset visits every record exactly once', () => {
  fc.assert(fc.property(mixturePlan(30), (plan) => {
    const sampler = new MixtureSampler(plan);
    const epochs = new Map<string, number[]>();
    for (const draw of take(sampler, 3000)) {
      const key = `${draw.dataset}#${draw.epoch}`;
      epochs.set(key, [...(epochs.get(key) ?? []), draw.record]);
    }
    const { cursors } = sampler.state();
    plan.datasets.forEach((id, d) => {
      const size = plan.sizes[d];
      const completed = Math.floor(cursors[id] / size);
      for (let epoch = 0; epoch <= completed; epoch++) {
        const records = epochs.get(`${id}#${epoch}`) ?? [];
        assert.equal(new Set(records).size, records.length, `${id} epoch ${epoch} repeats a record`);
        assert.equal(records.length, epoch < completed ? size : cursors[id] - completed * size);
        assert.ok(records.every((r) => r >= 0 && r < size));
      }
      // Epochs differ in order (tiny datasets have too few orders to show it reliably).
      if (completed >= 2 && size >= 10) assert.notDeepEqual(epochs.get(`${id}#0`), epochs.get(`${id}#1`));
    });
  }), { numRuns: 60 });
});

const demoPlan = (probabilities = [0.5, 0.3, 0.2]): MixturePlan => ({
  seed: 9, policy: 'sqrt', datasets: ['vqav2', 'okvqa', 'coco-caption'], sizes: [50, 7, 20], probabilities,
});

test('a state is refused under another seed or mixture, unless a mixture change is allowed', () => {
  const sampler = new MixtureSampler(demoPlan());
  take(sampler, 100);
  const state = sampler.state();
  assert.throws(() => new MixtureSampler({ ...demoPlan(), seed: 10 }, { resumeFrom: state }), /taken with seed 9, the mixture has seed 10/);
  const changed = demoPlan([0.2, 0.3, 0.5]);
  assert.throws(() => new MixtureSampler(changed, { resumeFrom: state }), /taken under another mixture/);
  const resumed = new MixtureSampler(changed, { resumeFrom: state, allowMixtureChange: true });
  assert.deepEqual(resumed.state().cursors, state.cursors);
  // Nothing served in the current epoch of a dataset is served again before that epoch ends.
  const served = take(new MixtureSampler(demoPlan()), 100).filter((d) => d.dataset === 'vqav2' && d.epoch === 1).map((d) => d.record);
  const next = take(resumed, 60).filter((d) => d.dataset === 'vqav2' && d.epoch === 1).map((d) => d.record);
  assert.ok(next.every((r) => !served.includes(r)));
  assert.throws(() => new MixtureSampler(demoPlan(), { resumeFrom: { ...state, cursors: { vqav2: -1 } } }), /cursor of vqav2/);
});

test('held-out datasets and bad rank options are refused', () => {
  const plan: MixturePlan = { seed: 1, policy: 'uniform', datasets: ['vqav2', 'gqa'], sizes: [5, 5], probabilities: [0.5, 0.5] };
  assert.throws(() => new MixtureSampler(plan), /"gqa" is held out \(zero-shot evaluation only\) and can never be drawn for training/);
  const options: [SamplerOptions, RegExp][] = [
    [{ world: 0 }, /world must be a positive integer/],
    [{ world: 2, rank: 2 }, /rank 2 is outside \[0, 2\)/],
    [{ block: 0 }, /block must be a positive integer/],
  ];
  for (const [bad, message] of options) assert.throws(() => new MixtureSampler(demoPlan(), bad), message);
});

test('every held-in dataset can be drawn', () => {
  const plan: MixturePlan = {
    seed: 3, policy: 'uniform', datasets: HELD_IN_IDS, sizes: HELD_IN_IDS.map(() => 10), probabilities: HELD_IN_IDS.map(() => 1 / HELD_IN_IDS.length),
  };
  assert.deepEqual(new Set(take(new MixtureSampler(plan), 2000).map((d) => d.dataset)), new Set(HELD_IN_IDS));
});
