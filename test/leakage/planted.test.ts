/**
 * The sample mirror plants Visual Dialog images that are byte-identical to, or re-encodings of,
 * COCO images; building coco-caption and visdial from it, the report must find them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runLeakageReport } from '../../pipelines/leakage/run.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { buildShards } from '../../pipelines/shards/build/build-shards.ts';
import { readSplit } from '../../pipelines/shards/shard-reader.ts';
import { loadAdapters, sampleDir } from '../../pipelines/sources/registry.ts';
import { PLANTED_COCO_OVERLAPS } from '../../pipelines/sources/visdial/make-sample.ts';

test('the leakage report finds the planted COCO images in Visual Dialog', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leakage-'));
  try {
    const dirs = { shardsDir: path.join(dir, 'shards'), manifestsDir: path.join(dir, 'manifests') };
    await buildShards({
      adapters: await loadAdapters(),
      datasets: ['coco-caption', 'visdial'],
      rawDir: path.join(dir, 'raw'),
      raw: new RawAccess((s) => sampleDir(s)),
      ...dirs,
      imageWorkers: 1,
    });
    const { report } = await runLeakageReport(dirs);
    const pair = report.pairs.find((p) => p.heldOut === 'visdial' && p.heldIn === 'coco-caption');
    assert.ok(pair, 'visdial/val and coco-caption share images');
    // Only COCO images in a held-in training split count: some planted ones are Karpathy val/test images.
    const trainIds = new Set<number>();
    for await (const record of readSplit(dirs, 'coco-caption', 'train')) trainIds.add(Number(record.id.split('/').pop()));
    const inTraining = PLANTED_COCO_OVERLAPS.filter((p) => trainIds.has(p.cocoId));
    const exact = inTraining.filter((p) => p.kind === 'exact').length;
    assert.ok(exact > 0, 'the sample plants at least one exact overlap with a training image');
    assert.equal(pair.exactImages, exact);
    assert.ok(pair.nearImages >= inTraining.length - exact, `at least the planted near-duplicates, found ${pair.nearImages}`);
    assert.ok(pair.examples.some((e) => e.distance === 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
