import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { expectedLedger, formatLedger, observedLedger } from '../../pipelines/mixture/ledger.ts';
import type { MixturePlan } from '../../pipelines/mixture/plan.ts';
import { MixtureSampler } from '../../pipelines/mixture/sampler.ts';
import { mixturePlan } from './arbitraries.ts';

test('the observed ledger accounts for every draw, is JSON, and tracks the target', () => {
  fc.assert(fc.property(mixturePlan(1000), fc.integer({ min: 1, max: 3000 }), (plan, draws) => {
    const sampler = new MixtureSampler(plan);
    for (let i = 0; i < draws; i++) sampler.next();
    const ledger = observedLedger(plan, sampler.state());
    assert.deepEqual(JSON.parse(JSON.stringify(ledger)), ledger);
    assert.equal(ledger.draws, draws);
    assert.equal(ledger.datasets.reduce((a, r) => a + r.draws, 0), draws);
    for (const row of ledger.datasets) {
      assert.equal(row.epochs, row.draws / row.size);
      assert.equal(row.observedShare, row.draws / draws);
    }
  }), { numRuns: 50 });
});

const plan: MixturePlan = { seed: 1, policy: 'sqrt', datasets: ['okvqa', 'web-capfilt'], sizes: [100, 1_000_000], probabilities: [0.25, 0.75] };

test('the expected ledger: draws = share × total, epochs = draws / size', () => {
  const ledger = expectedLedger(plan, 4000);
  assert.equal(ledger.kind, 'expected');
  assert.deepEqual(ledger.datasets.map((r) => [r.dataset, r.draws, r.epochs]), [['okvqa', 1000, 10], ['web-capfilt', 3000, 0.003]]);
});

test('the table lists the largest share first and says how often records repeat', () => {
  assert.equal(formatLedger(expectedLedger(plan, 4000)), [
    '| dataset | size | target share | expected draws | epochs | records seen |',
    '| --- | --- | --- | --- | --- | --- |',
    '| web-capfilt | 1,000,000 | 75.00% | 3,000 | 0.003 | 0.30% of records |',
    '| okvqa | 100 | 25.00% | 1,000 | 10.000 | each record ~10.0× |',
  ].join('\n'));
  const sampler = new MixtureSampler(plan);
  for (let i = 0; i < 10; i++) sampler.next();
  assert.match(formatLedger(observedLedger(plan, sampler.state())), /^\| dataset \| size \| draws \| epochs \| target share \| observed share \|/);
});
