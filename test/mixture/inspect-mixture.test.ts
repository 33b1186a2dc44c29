import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HELD_IN_IDS } from '../../pipelines/catalog.ts';
import { inspectMixture } from '../../pipelines/cli/inspect-mixture.ts';

const demo = path.join('trainer', 'configs', 'demo.json');
const sizes = Object.fromEntries(HELD_IN_IDS.map((id) => [id, 1000]));

function inTempDir(check: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'inspect-'));
  try {
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the report for the demo config with given sizes', () => {
  inTempDir((dir) => {
    const report = inspectMixture({ configPath: demo, steps: 100, batchSize: 20, sizes, manifestPath: path.join(dir, 'none.json') });
    assert.match(report, /policy sqrt, seed 20230511, adjustments okvqa ×2, aokvqa ×0\.5/);
    assert.match(report, /100 steps × batch 20 = 2,000 draws; sizes: 0 datasets from .*none\.json, 13 given/);
    // Equal sizes: okvqa ×2 and aokvqa ×0.5 over 11 others at ×1 → 2/13.5 and 0.5/13.5 of 2,000 draws.
    assert.match(report, /\| okvqa \| 1,000 \| 14\.81% \| 296 \| 0\.296 \| 29\.63% of records \|/);
    assert.match(report, /\| aokvqa \| 1,000 \| 3\.70% \| 74 \|/);
    assert.match(report, /Repeated: none/);
  });
});

test('sizes come from the manifest index when present, the given map fills the gaps', () => {
  inTempDir((dir) => {
    const manifest = path.join(dir, 'index.json');
    writeFileSync(manifest, JSON.stringify({
      format: 1, builtAt: '2026-01-01T00:00:00.000Z', media: { parts: 0, images: 0, bytes: 0 },
      datasets: [{ dataset: 'okvqa', category: 'knowledge-qa', heldOut: false, records: { train: 10 }, trainingRecords: 10, quarantined: 0, bytes: 0, samplingProbability: 1 }],
    }));
    const report = inspectMixture({ configPath: demo, steps: 10, batchSize: 100, sizes, manifestPath: manifest });
    assert.match(report, /sizes: 1 datasets from .*index\.json, 12 given/);
    assert.match(report, /\| okvqa \| 10 \|/);
    assert.match(report, /Repeated: okvqa ×/);
    assert.throws(() => inspectMixture({ configPath: demo, steps: 10, batchSize: 100, manifestPath: manifest }), /no training size for "coco-caption"/);
  });
});

test('unimax plans with the run\'s budget', () => {
  inTempDir((dir) => {
    const config = path.join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ mixture: { policy: 'unimax', parameters: { epochCap: 2 }, adjustments: {} } }));
    const uneven = { ...sizes, okvqa: 10 };
    const report = inspectMixture({ configPath: config, steps: 100, batchSize: 100, sizes: uneven, manifestPath: path.join(dir, 'none.json') });
    assert.match(report, /\| okvqa \| 10 \| [\d.]+% \| 20 \| 2\.000 \|/);
  });
});

test('bad step counts are refused', () => {
  assert.throws(() => inspectMixture({ configPath: demo, steps: 0, batchSize: 1, sizes }), /steps must be a positive integer/);
});
