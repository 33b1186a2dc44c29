import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cocoImageLocation, cocoScene } from '../../pipelines/sources/coco/scenes.ts';
import { adapter } from '../../pipelines/sources/vsr/adapter.ts';
import { vsrSampleLines } from '../../pipelines/sources/vsr/make-sample.ts';
import { spec } from '../../pipelines/sources/vsr/spec.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, recordCounts, runAdapter, sampleRaw,
} from './heldout-adapter-helpers.ts';

const lines = vsrSampleLines(1, 1);

test('vsr sample: one record per zero-shot test statement, true or false of the COCO image it names', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'vsr/test': 24 });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  const labels = run.records.map((r) => r.label);
  assert.ok(labels.includes(0) && labels.includes(1));
  for (const [i, record] of run.records.entries()) {
    const { image, caption, label, relation } = lines[i];
    assert.equal(record.question, caption);
    assert.equal(record.label, label);
    assert.equal(JSON.parse(record.meta!).relation, relation);
    // the held-out statement points at a held-in COCO image: the planted overlap is real
    const { path: archive, member } = cocoImageLocation(image);
    assert.deepEqual(record.media, [{ kind: 'image', source: 'coco', path: archive, member }]);
    const truth = { left: 'left of', right: 'right of', top: 'above', bottom: 'below' }[cocoScene(image.id).position];
    assert.equal(relation === truth, label === 1);
  }
  assert.deepEqual(spec.uses, ['coco']);
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('vsr sample mirror is what make-sample writes', () => assertSampleIsFresh('vsr'));

test('vsr: COCO ids in no archive, escaping paths, bad labels and broken lines are quarantined', async () => {
  const copy = copySamples('vsr', 'coco');
  const file = path.join(copy.dir, 'vsr', 'data/splits/zeroshot/test.jsonl');
  const rows = readFileSync(file, 'utf8').trim().split('\n');
  const edit = (i: number, change: (row: Record<string, unknown>) => void) => {
    const row = JSON.parse(rows[i]);
    change(row);
    rows[i] = JSON.stringify(row);
  };
  edit(0, (r) => { r.image = '000000424242.jpg'; });
  edit(1, (r) => { r.image = '../train2017/000000000009.jpg'; });
  edit(2, (r) => { r.label = 'True'; });
  rows[3] = '{"image": "000000000009.jpg", "caption": ';
  writeFileSync(file, `${rows.join('\n')}\n\n`);
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 20);
  assert.deepEqual(run.quarantines.map((q) => [q.sourceIndex, q.reason]), [[0, 'unknown-image'], [1, 'unsafe-path'], [2, 'bad-type'], [3, 'bad-json']]);
  assert.match(run.quarantines[0].detail, /COCO image 424242/);
  await copy.cleanup();
});
