import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DatasetManifest, SplitManifest } from '../../pipelines/shards/manifest.ts';
import { TrainingRecordLocator } from '../../pipelines/stream/record-locator.ts';

function split(parts: number[][], prefix: string): SplitManifest {
  const shards = parts.map((batchRows, i) => ({
    path: `${prefix}/part-${String(i).padStart(5, '0')}.arrow`, records: batchRows.reduce((a, b) => a + b, 0), bytes: 1, sha256: '', batchRows,
  }));
  return { records: shards.reduce((a, s) => a + s.records, 0), quarantined: { total: 0, reasons: {}, file: null }, skipped: {}, shards };
}

function manifest(dataset: string, splits: Record<string, SplitManifest>): DatasetManifest {
  return { dataset, splits } as DatasetManifest;
}

const parts = fc.array(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 });

test('every training index maps to its (part, batch, row), in split, part and row order', () => {
  fc.assert(fc.property(parts, (layout) => {
    const locator = TrainingRecordLocator.fromManifest(manifest('vqav2', { train: split(layout, 'vqav2/train'), val: split([[3]], 'vqav2/val') }));
    const expected = layout.flatMap((batches, p) => batches.flatMap((rows, b) => Array.from({ length: rows }, (_, row) => ({ p, b, row }))));
    assert.equal(locator.size, expected.length);
    expected.forEach(({ p, b, row }, index) => {
      assert.deepEqual(locator.locate(index), {
        dataset: 'vqav2', split: 'train', shard: `vqav2/train/part-${String(p).padStart(5, '0')}.arrow`, batch: b, row, index,
      });
    });
    assert.throws(() => locator.locate(expected.length), /outside its \d+ training records/);
  }), { numRuns: 100 });
});

test('only the catalog training splits count, in catalog order; empty batches are skipped', () => {
  const locator = TrainingRecordLocator.fromManifest(manifest('coco-caption', {
    val: split([[5]], 'coco-caption/val'),
    train: split([[2, 0, 3]], 'coco-caption/train'),
  }));
  assert.equal(locator.size, 5);
  assert.deepEqual(locator.locate(2), { dataset: 'coco-caption', split: 'train', shard: 'coco-caption/train/part-00000.arrow', batch: 2, row: 0, index: 2 });
});

test('a manifest that does not add up is refused with the dataset and shard named', () => {
  const bad = split([[2, 2]], 'okvqa/train');
  bad.shards[0].records = 5;
  assert.throws(() => TrainingRecordLocator.fromManifest(manifest('okvqa', { train: bad })), /dataset okvqa, shard okvqa\/train\/part-00000\.arrow: record batches hold 4 rows but the manifest says 5/);
  assert.throws(() => TrainingRecordLocator.fromManifest(manifest('okvqa', { val: split([[1]], 'okvqa/val') })), /dataset okvqa: the manifest has no training split "train"/);
});
