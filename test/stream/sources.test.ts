import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { MediaSource } from '../../pipelines/stream/media-source.ts';
import { decodePixels } from '../../pipelines/stream/pixel-decode.ts';
import { CLIP_MEAN, CLIP_STD, normalizeRgb } from '../../pipelines/stream/pixels.ts';
import { TrainingRecordLocator } from '../../pipelines/stream/record-locator.ts';
import { RecordSource } from '../../pipelines/stream/record-source.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { countFileReads } from './read-counter.ts';

const root = mkdtempSync(path.join(tmpdir(), 'stream-sources-'));
let fixture: Fixture;
before(async () => {
  // One part of many small batches: reading one batch must not read the part.
  fixture = await buildFixture(root, { datasets: { vqav2: 120 }, batchRows: 4, partBytes: 1 << 30, heldOutRecords: 0 });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a record is read through the footer: one record batch, not the whole part', async () => {
  const locator = TrainingRecordLocator.fromManifest(readDatasetManifest(fixture.manifestsDir, 'vqav2')!);
  const records = new RecordSource(fixture.shardsDir, { openFiles: 1, batchCacheBytes: 1 });
  const [part, partBytes] = [...fixture.partBytes][0];
  const counter = await countFileReads(path.join(fixture.shardsDir, part));
  try {
    assert.deepEqual(await records.read(locator.locate(57)), fixture.records.get('vqav2')![57]);
    const first = counter.bytes;
    assert.ok(first < partBytes / 5, `opening and one batch read ${first} of ${partBytes} bytes`);
    assert.deepEqual(await records.read(locator.locate(58)), fixture.records.get('vqav2')![58]);
    assert.equal(counter.bytes, first, 'a row of a cached batch reads nothing');
    await records.read(locator.locate(3));
    const batchBytes = counter.bytes - first;
    assert.ok(batchBytes > 0 && batchBytes < partBytes / 10, `another batch read ${batchBytes} bytes`);
    assert.deepEqual(records.stats(), { batchReads: 2, fileOpens: 1, cachedBatches: 1, cachedBytes: records.stats().cachedBytes });
  } finally {
    counter.restore();
    await records.close();
  }
});

test('the batch cache and the open files stay within their bounds under concurrent reads', async () => {
  const locator = TrainingRecordLocator.fromManifest(readDatasetManifest(fixture.manifestsDir, 'vqav2')!);
  const records = new RecordSource(fixture.shardsDir, { openFiles: 1, batchCacheBytes: 8 * 1024 });
  const all = fixture.records.get('vqav2')!;
  const order = Array.from({ length: 300 }, (_, i) => (i * 37) % all.length);
  const read = await Promise.all(order.map((i) => records.read(locator.locate(i))));
  assert.deepEqual(read, order.map((i) => all[i]));
  const stats = records.stats();
  assert.ok(stats.cachedBytes <= 8 * 1024 || stats.cachedBatches === 1, `cache holds ${stats.cachedBytes} bytes`);
  await records.close();
});

test('an image is one read of its own bytes once its batch directory is known', async () => {
  const media = await MediaSource.open(fixture.shardsDir, { openFiles: 1 });
  const counter = await countFileReads(path.join(fixture.shardsDir, 'media', 'part-00000.arrow'));
  try {
    const key = fixture.records.get('vqav2')![0].images[0];
    const image = await media.read(key);
    assert.equal((await sharp(image).metadata()).width, 112);
    const before = counter.bytes;
    const again = await media.read(key);
    assert.deepEqual(again, image);
    assert.equal(counter.bytes - before, image.length, 'the second read reads exactly the image');
    assert.equal(media.stats().directoryReads, 1);
    await assert.rejects(media.read('f'.repeat(64)), /image f{64} is not in the media store/);
  } finally {
    counter.restore();
    await media.close();
  }
});

test('CLIP normalization: a pure-white pixel maps to (1 - mean) / std, black to -mean / std', async () => {
  const planes = normalizeRgb(Uint8Array.from([255, 255, 255, 0, 0, 0]), 2);
  for (let c = 0; c < 3; c++) {
    assert.equal(planes[c * 2], Math.fround((1 - CLIP_MEAN[c]) / CLIP_STD[c]));
    assert.equal(planes[c * 2 + 1], Math.fround(-CLIP_MEAN[c] / CLIP_STD[c]));
  }
});

test('decoding resizes to size x size, channels first, with gray and transparent images as RGB', async () => {
  const gray = await sharp({ create: { width: 50, height: 20, channels: 3, background: '#000000' } }).toColourspace('b-w').png().toBuffer();
  assert.equal((await sharp(gray).metadata()).channels, 1);
  const transparent = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  const black = await decodePixels(gray, 16);
  assert.equal(black.length, 3 * 16 * 16);
  for (let c = 0; c < 3; c++) assert.ok(black.subarray(c * 256, (c + 1) * 256).every((v) => v === Math.fround(-CLIP_MEAN[c] / CLIP_STD[c])));
  const white = await decodePixels(transparent, 16);
  for (let c = 0; c < 3; c++) assert.ok(white.subarray(c * 256, (c + 1) * 256).every((v) => v === Math.fround((1 - CLIP_MEAN[c]) / CLIP_STD[c])));
  await assert.rejects(decodePixels(Buffer.from('not an image'), 16));
});
