import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hamming64, parseHash64 } from '../../pipelines/leakage/hamming.ts';
import { findOverlap, type ImageUse } from '../../pipelines/leakage/overlap.ts';

const hex64 = fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff)).map(([a, b]) => a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0'));

test('hamming distance is a metric on 64-bit hashes', () => {
  fc.assert(fc.property(hex64, hex64, hex64, (a, b, c) => {
    const [x, y, z] = [a, b, c].map(parseHash64);
    assert.equal(hamming64(x, x), 0);
    assert.equal(hamming64(x, y), hamming64(y, x));
    assert.ok(hamming64(x, z) <= hamming64(x, y) + hamming64(y, z));
    assert.ok(hamming64(x, y) <= 64);
  }));
  assert.equal(hamming64(parseHash64('ffffffffffffffff'), parseHash64('0000000000000000')), 64);
  assert.equal(hamming64(parseHash64('0000000000000001'), parseHash64('8000000000000000')), 2);
});

const use = (dataset: string, split: string, recordId: string, key: string, phash: string): ImageUse => ({ dataset, split, recordId, key, phash });

test('exact and near duplicates are found per dataset pair, disjoint images are not', () => {
  const heldIn = [
    use('coco-caption', 'train', 'coco-caption/train/1', 'k1', '00000000000000ff'),
    use('vqav2', 'train', 'vqav2/train/7', 'k1', '00000000000000ff'),
    use('coco-caption', 'train', 'coco-caption/train/2', 'k2', 'ffff000000000000'),
  ];
  const heldOut = [
    use('visdial', 'val', 'visdial/val/a', 'k1', '00000000000000ff'),
    use('visdial', 'val', 'visdial/val/b', 'k9', 'ffff000000000003'),
    use('visdial', 'val', 'visdial/val/c', 'k8', '0f0f0f0f0f0f0f0f'),
  ];
  const report = findOverlap(heldIn, heldOut, { threshold: 4 });
  const coco = report.pairs.find((p) => p.heldIn === 'coco-caption');
  const vqa = report.pairs.find((p) => p.heldIn === 'vqav2');
  assert.deepEqual([coco?.exactImages, coco?.nearImages], [1, 1]);
  assert.deepEqual([vqa?.exactImages, vqa?.nearImages], [1, 0]);
  assert.equal(report.heldOutImages['visdial/val'], 3);
  assert.ok(coco?.examples.some((e) => e.heldOutRecord === 'visdial/val/b' && e.distance === 2));
});

test('a held-out set with no shared images reports no pairs', () => {
  fc.assert(fc.property(fc.array(hex64, { maxLength: 20 }), (hashes) => {
    const heldIn = hashes.map((h, i) => use('a', 'train', `a/${i}`, `in${i}`, h));
    const heldOut = hashes.map((h, i) => use('b', 'val', `b/${i}`, `out${i}`, h.split('').map((c) => (15 - parseInt(c, 16)).toString(16)).join('')));
    return findOverlap(heldIn, heldOut, { threshold: 0 }).pairs.every((p) => p.exactImages === 0 && p.nearImages === 0);
  }));
});
