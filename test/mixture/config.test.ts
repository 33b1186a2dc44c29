import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { HELD_IN_IDS, HELD_OUT_IDS } from '../../pipelines/catalog.ts';
import { DEFAULT_ADJUSTMENTS } from '../../pipelines/mixture/adjust.ts';
import { loadMixtureConfig, parseMixtureConfig } from '../../pipelines/mixture/config.ts';
import { buildMixturePlan } from '../../pipelines/mixture/plan.ts';
import { trainingSizesFromIndex } from '../../pipelines/mixture/sizes.ts';

const sizes = Object.fromEntries(HELD_IN_IDS.map((id, i) => [id, 1000 * (i + 1)]));

test('the demo config: sqrt over all held-in datasets, OK-VQA ×2 and A-OKVQA ×0.5', () => {
  const config = loadMixtureConfig(path.join('trainer', 'configs', 'demo.json'));
  assert.equal(config.policy, 'sqrt');
  assert.deepEqual(config.datasets, HELD_IN_IDS);
  assert.deepEqual(config.adjustments, { okvqa: 2, aokvqa: 0.5 });
  assert.deepEqual(config.adjustments, DEFAULT_ADJUSTMENTS);
  const plan = buildMixturePlan(config, sizes);
  const p = (id: string) => plan.probabilities[plan.datasets.indexOf(id)];
  const sqrtRatio = (a: string, b: string) => Math.sqrt(sizes[a] / sizes[b]);
  assert.ok(Math.abs(p('okvqa') / p('vqav2') - 2 * sqrtRatio('okvqa', 'vqav2')) < 1e-9);
  assert.ok(Math.abs(p('aokvqa') / p('vqav2') - 0.5 * sqrtRatio('aokvqa', 'vqav2')) < 1e-9);
});

test('defaults: sqrt, seed 0, all held-in, default adjustments restricted to the datasets present', () => {
  assert.deepEqual(parseMixtureConfig({}, 'c.json'), {
    policy: 'sqrt', seed: 0, datasets: [...HELD_IN_IDS], parameters: {}, adjustments: DEFAULT_ADJUSTMENTS,
  });
  assert.deepEqual(parseMixtureConfig({ datasets: ['vqav2', 'aokvqa'] }, 'c.json').adjustments, { aokvqa: 0.5 });
  assert.deepEqual(parseMixtureConfig({ adjustments: {} }, 'c.json').adjustments, {});
});

test('a held-out dataset is refused by name, whichever it is', () => {
  fc.assert(fc.property(fc.constantFrom(...HELD_OUT_IDS), fc.shuffledSubarray([...HELD_IN_IDS]), (heldOut, heldIn) => {
    const config = parseMixtureConfig({ datasets: [...heldIn, heldOut], adjustments: {} }, 'c.json');
    assert.throws(() => buildMixturePlan(config, { ...sizes, [heldOut]: 10 }),
      new RegExp(`"${heldOut}" is held out \\(zero-shot evaluation only\\) and can never be drawn for training`));
  }));
});

test('config errors name the file and the key', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ polcy: 'sqrt' }, /^Error: c\.json: mixture\.polcy is not a mixture key/],
    [{ policy: 'sqrtt' }, /mixture\.policy must be one of sqrt, proportional, uniform, temperature, unimax, weights/],
    [{ seed: -1 }, /mixture\.seed must be an integer in \[0, 2\^32\)/],
    [{ seed: 1.5 }, /mixture\.seed/],
    [{ datasets: [] }, /mixture\.datasets must be a non-empty list/],
    [{ datasets: ['vqav2', 'vqav2'] }, /lists "vqav2" twice/],
    [{ parameters: { temp: 2 } }, /parameters\.temp is not a policy parameter/],
    [{ parameters: { temperature: '2' } }, /parameters\.temperature must be a number/],
    [{ adjustments: { okvqa: 'x' } }, /adjustments must map dataset ids to numbers/],
  ];
  for (const [raw, message] of cases) assert.throws(() => parseMixtureConfig(raw, 'c.json'), message);
});

test('plan errors: unknown dataset, missing or empty size, adjustment outside the mixture', () => {
  assert.throws(() => buildMixturePlan(parseMixtureConfig({ datasets: ['vqa3'] }, 'c.json'), sizes), /unknown dataset "vqa3"/);
  assert.throws(() => buildMixturePlan(parseMixtureConfig({}, 'c.json'), { vqav2: 5 }), /no training size for "coco-caption"/);
  assert.throws(() => buildMixturePlan(parseMixtureConfig({}, 'c.json'), { ...sizes, okvqa: 0 }), /"okvqa" has 0 training records/);
  const config = parseMixtureConfig({ datasets: ['vqav2'], adjustments: { okvqa: 2 } }, 'c.json');
  assert.throws(() => buildMixturePlan(config, sizes), /adjustment for "okvqa", which is not in the mixture/);
});

test('weightsFile is read relative to the config; budget for unimax comes from the caller', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mixture-'));
  try {
    writeFileSync(path.join(dir, 'w.json'), JSON.stringify({ vqav2: 1, okvqa: 3 }));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({
      mixture: { policy: 'weights', datasets: ['vqav2', 'okvqa'], adjustments: {}, parameters: { weightsFile: 'w.json' } },
    }));
    const plan = buildMixturePlan(loadMixtureConfig(path.join(dir, 'c.json')), sizes);
    assert.deepEqual(plan.probabilities, [0.25, 0.75]);
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ mixture: { parameters: { weightsFile: 'none.json' } } }));
    assert.throws(() => loadMixtureConfig(path.join(dir, 'bad.json')), /bad\.json: mixture\.parameters\.weightsFile: cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const unimax = parseMixtureConfig({ policy: 'unimax', parameters: { epochCap: 1 }, datasets: ['vqav2', 'okvqa'], adjustments: {} }, 'c.json');
  assert.throws(() => buildMixturePlan(unimax, sizes), /positive budget/);
  // Budget 2 × the smaller dataset: it takes its one epoch, the larger the rest.
  const plan = buildMixturePlan(unimax, { vqav2: 4000, okvqa: 1000 }, { budget: 3000 });
  assert.deepEqual(plan.probabilities.map((p) => Math.round(p * 3000)), [2000, 1000]);
});

test('training sizes from the manifest index: training records of held-in datasets only', () => {
  const entry = (dataset: string, heldOut: boolean, trainingRecords: number) => ({
    dataset, heldOut, trainingRecords, category: 'image-qa' as const, records: {}, quarantined: 0, bytes: 0, samplingProbability: null,
  });
  const index = {
    format: 1,
    builtAt: '2026-01-01T00:00:00.000Z',
    media: { parts: 0, images: 0, bytes: 0 },
    datasets: [entry('vqav2', false, 443757), entry('okvqa', false, 9009), entry('gqa', true, 0)],
  };
  assert.deepEqual(trainingSizesFromIndex(index), { vqav2: 443757, okvqa: 9009 });
});
