import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ImagePool } from '../../pipelines/media/image-pool.ts';
import { MediaReader } from '../../pipelines/media/media-reader.ts';
import { MediaResolver } from '../../pipelines/media/media-resolver.ts';
import { MediaStore } from '../../pipelines/media/media-store.ts';
import { encodeVideo } from '../../pipelines/media/video-encode.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { writeZip } from '../../pipelines/sample/zip-writer.ts';
import type { MediaRef } from '../../pipelines/sources/types.ts';
import { photoJpeg } from './fixture-images.ts';

const root = mkdtempSync(path.join(tmpdir(), 'media-resolver-'));
const rawDir = path.join(root, 'raw');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const img = (p: string, member?: string): MediaRef => ({ kind: 'image', source: 'src', path: p, ...(member ? { member } : {}) });

let pool: ImagePool;
let photos: Buffer[];
let video: Buffer;

before(async () => {
  photos = await Promise.all([0, 1, 2].map((i) => photoJpeg(200 + i, 320, 240)));
  const frames = await Promise.all(Array.from({ length: 8 }, (_, i) => photoJpeg(300 + i, 64, 48)));
  video = await encodeVideo(frames, { fps: 4, codec: 'mpeg4', container: 'avi' });
  mkdirSync(path.join(rawDir, 'src/images'), { recursive: true });
  writeFileSync(path.join(rawDir, 'src/images/a.jpg'), photos[0]);
  writeFileSync(path.join(rawDir, 'src/images/broken.jpg'), Buffer.from('GIF89a but not really'));
  writeFileSync(path.join(rawDir, 'src/clip.avi'), video);
  writeFileSync(path.join(rawDir, 'src/broken.avi'), Buffer.from('RIFF....AVI LIST garbage'));
  await writeZip(path.join(rawDir, 'src/images.zip'), [
    { name: 'train/b.jpg', data: photos[1] },
    { name: 'train/a-copy.jpg', data: photos[0] },
    { name: 'clips/clip.avi', data: video },
  ]);
  pool = new ImagePool(undefined, 2);
});
after(async () => {
  await pool.close();
  rmSync(root, { recursive: true, force: true });
});

async function fresh(name: string) {
  const shardsDir = path.join(root, name);
  const store = await MediaStore.open(shardsDir);
  return { shardsDir, store, resolver: new MediaResolver(RawAccess.under(rawDir), store, pool) };
}

test('images from files and zip entries are keyed by the sha256 of their original bytes and stored once', async () => {
  const { shardsDir, store, resolver } = await fresh('images');
  const outcomes = await Promise.all([
    resolver.resolve([img('images/a.jpg')]),
    resolver.resolve([img('images.zip', 'train/a-copy.jpg'), img('images.zip', 'train/b.jpg')]),
    resolver.resolve([img('images/a.jpg')]),
  ]);
  assert.deepEqual(outcomes.map((o) => ('keys' in o ? o.keys : o)), [[sha(photos[0])], [sha(photos[0]), sha(photos[1])], [sha(photos[0])]]);
  const stored = outcomes.reduce((n, o) => n + ('keys' in o ? o.newImages : 0), 0);
  assert.equal(stored, 2, 'each distinct image is counted as new exactly once');
  await store.flush();
  const reader = await MediaReader.open(shardsDir);
  assert.equal(reader.size, 2);
  assert.equal((await reader.get(sha(photos[1]))).width, 320);
  await reader.close();
});

test('a missing file or archive entry is unknown-image; undecodable bytes are unreadable-image with sharp\'s message', async () => {
  const { resolver } = await fresh('problems');
  assert.deepEqual(await resolver.resolve([img('images/nope.jpg')]), {
    problem: { reason: 'unknown-image', detail: `src/images/nope.jpg: no such file (${path.join(rawDir, 'src/images/nope.jpg')})` },
  });
  const entry = await resolver.resolve([img('images.zip', 'train/nope.jpg')]);
  assert.deepEqual(entry, { problem: { reason: 'unknown-image', detail: 'src/images.zip:train/nope.jpg: the archive has no such entry' } });
  const escape = await resolver.resolve([img('../outside.jpg')]);
  assert.ok('problem' in escape && escape.problem.reason === 'unknown-image' && /escapes/.test(escape.problem.detail));
  const broken = await resolver.resolve([img('images/a.jpg'), img('images/broken.jpg')]);
  assert.ok('problem' in broken);
  assert.equal(broken.problem.reason, 'unreadable-image');
  assert.match(broken.problem.detail, /^src\/images\/broken\.jpg: .*(unsupported image format|gifload)/);
});

test('a video becomes four stored frames keyed <sha256>#<i>of4, from a file or an archive entry', async () => {
  const { shardsDir, store, resolver } = await fresh('video');
  const key = sha(video);
  const fromFile = await resolver.resolve([{ kind: 'video', source: 'src', path: 'clip.avi' }]);
  assert.deepEqual(fromFile, { keys: [0, 1, 2, 3].map((i) => `${key}#${i}of4`), newImages: 4, newBytes: (fromFile as { newBytes: number }).newBytes });
  const fromZip = await resolver.resolve([{ kind: 'video', source: 'src', path: 'images.zip', member: 'clips/clip.avi' }]);
  assert.ok('keys' in fromZip && fromZip.newImages === 0 && fromZip.keys[3] === `${key}#3of4`);
  await store.flush();
  const reader = await MediaReader.open(shardsDir);
  assert.deepEqual([reader.size, (await reader.get(`${key}#2of4`)).width], [4, 64]);
  await reader.close();

  const broken = await resolver.resolve([{ kind: 'video', source: 'src', path: 'broken.avi' }]);
  assert.ok('problem' in broken && broken.problem.reason === 'undecodable-video', JSON.stringify(broken));
  assert.match(broken.problem.detail, /^src\/broken\.avi: /);
});
