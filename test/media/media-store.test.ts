import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { encodeImage, type EncodedImage } from '../../pipelines/media/encode-image.ts';
import { MediaReader } from '../../pipelines/media/media-reader.ts';
import { MediaStore } from '../../pipelines/media/media-store.ts';
import { photoJpeg } from './fixture-images.ts';

const root = mkdtempSync(path.join(tmpdir(), 'media-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const originals = await Promise.all(Array.from({ length: 12 }, (_, i) => photoJpeg(100 + i, 320, 240)));
const encoded: EncodedImage[] = await Promise.all(originals.map((o) => encodeImage(o)));
const keys = originals.map(sha);

async function addAll(store: MediaStore, which: number[]): Promise<number> {
  const added = await Promise.all(which.map((i) => store.add(keys[i], encoded[i])));
  return added.filter(Boolean).length;
}

test('a second set of images sharing keys with the first adds only the new ones', async () => {
  const shardsDir = path.join(root, 'shared');
  const first = await MediaStore.open(shardsDir, { batchRows: 4 });
  assert.equal(await addAll(first, [0, 1, 2, 3, 4, 5, 6, 7]), 8);
  assert.equal(await addAll(first, [0, 1]), 0);
  await first.flush();

  const second = await MediaStore.open(shardsDir, { batchRows: 4 });
  assert.equal(second.size, 8);
  assert.equal(await addAll(second, [4, 5, 6, 7, 8, 9, 10, 11]), 4);
  await second.flush();
  assert.equal(second.size, 12);

  const mediaDir = path.join(shardsDir, 'media');
  assert.deepEqual(readdirSync(mediaDir).sort(), ['part-00000.arrow', 'part-00000.keys.json', 'part-00001.arrow', 'part-00001.keys.json']);
  const reader = await MediaReader.open(shardsDir);
  try {
    assert.equal(reader.size, 12);
    for (const i of [0, 5, 11, 3]) {
      const row = await reader.get(keys[i]);
      assert.equal(row.key, keys[i]);
      assert.deepEqual([row.width, row.height, row.phash, row.format], [encoded[i].width, encoded[i].height, encoded[i].phash, 'jpeg']);
      assert.ok(Buffer.from(row.bytes).equals(encoded[i].bytes));
      assert.equal((await sharp(row.bytes).metadata()).width, 320);
    }
    await assert.rejects(reader.get('f'.repeat(64)), /not in the media store/);
  } finally {
    await reader.close();
  }
});

test('parts roll by size and every row stays addressable', async () => {
  const shardsDir = path.join(root, 'rolling');
  const store = await MediaStore.open(shardsDir, { batchRows: 2, partBytes: 15_000 });
  await addAll(store, keys.map((_, i) => i));
  await store.flush();
  const parts = store.partIndexes;
  assert.ok(parts.length >= 2, `${parts.length} parts`);
  assert.equal(parts.reduce((n, p) => n + p.rows, 0), 12);
  for (const p of parts) {
    const bytes = readFileSync(path.join(shardsDir, 'media', p.part));
    assert.equal(p.sha256, sha(bytes));
    assert.ok(p.batchRows.every((r) => r <= 2));
  }
  const reader = await MediaReader.open(shardsDir);
  for (const k of keys) assert.equal((await reader.get(k)).key, k);
  await reader.close();
});

test('a part left without its index by a crash is indexed again; stale temp files are removed', async () => {
  const shardsDir = path.join(root, 'repair');
  const store = await MediaStore.open(shardsDir);
  await addAll(store, [0, 1, 2]);
  await store.flush();
  const mediaDir = path.join(shardsDir, 'media');
  rmSync(path.join(mediaDir, 'part-00000.keys.json'));
  writeFileSync(path.join(mediaDir, 'part-00001.arrow.abc123.tmp'), 'half a part');

  const readOnly = await MediaReader.open(shardsDir);
  assert.equal(readOnly.size, 0, 'readers ignore unindexed parts');
  await readOnly.close();

  const reopened = await MediaStore.open(shardsDir);
  assert.equal(reopened.size, 3);
  assert.deepEqual(readdirSync(mediaDir).sort(), ['part-00000.arrow', 'part-00000.keys.json']);
  assert.equal(await addAll(reopened, [2, 3]), 1);
  await reopened.flush();
  assert.ok(readdirSync(mediaDir).includes('part-00001.arrow'));
});
