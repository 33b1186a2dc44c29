/**
 * Images per second through build-shards' media path at COCO's size: distinct 640x480 JPEGs with
 * photo-like detail (100-200 KB each, as COCO's are) in a zip, each read from the archive,
 * hashed, decoded and re-encoded at 448 px with its pHash on the image workers, and written to the
 * media store, 64 at a time as a source pass resolves them. At real scale this is what a build of
 * a COCO-based dataset spends most of its time on: VQAv2 train points at 82,783 images.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { ImagePool } from '../pipelines/media/image-pool.ts';
import { MediaResolver } from '../pipelines/media/media-resolver.ts';
import { MediaStore } from '../pipelines/media/media-store.ts';
import { defaultPoolSize } from '../pipelines/media/worker-pool.ts';
import { RawAccess } from '../pipelines/raw/access.ts';
import { writeZip } from '../pipelines/sample/zip-writer.ts';
import type { MediaRef } from '../pipelines/sources/types.ts';
import { rng } from '../pipelines/util/random.ts';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 400);
const IN_FLIGHT = 64;
const COCO_TRAIN_IMAGES = 82_783;
const WIDTH = 640;
const HEIGHT = 480;

/** Smooth colour regions with grain on top: JPEG sizes like a photo's, unlike flat synthetic art. */
async function photo(seed: number): Promise<Buffer> {
  const next = rng(seed);
  const grid = Buffer.from(Array.from({ length: 8 * 6 * 3 }, () => Math.floor(next() * 256)));
  const base = await sharp(grid, { raw: { width: 8, height: 6, channels: 3 } }).resize(WIDTH, HEIGHT, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer();
  for (let i = 0; i < base.length; i++) base[i] = Math.max(0, Math.min(255, base[i] + Math.floor((next() - 0.5) * 40)));
  return sharp(base, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

const root = mkdtempSync(path.join(tmpdir(), 'media-store-bench-'));
try {
  const rawDir = path.join(root, 'raw');
  mkdirSync(path.join(rawDir, 'coco'), { recursive: true });
  const jpegs: Buffer[] = [];
  for (let i = 0; i < IMAGES; i++) jpegs.push(await photo(i));
  const names = jpegs.map((_, i) => `train2014/COCO_train2014_${String(i + 1).padStart(12, '0')}.jpg`);
  await writeZip(path.join(rawDir, 'coco', 'train2014.zip'), jpegs.map((data, i) => ({ name: names[i], data })));
  const inputBytes = jpegs.reduce((n, j) => n + j.length, 0);

  const raw = RawAccess.under(rawDir);
  const store = await MediaStore.open(path.join(root, 'shards'));
  const workers = defaultPoolSize();
  const pool = new ImagePool(undefined, workers);
  const resolver = new MediaResolver(raw, store, pool);
  const refs: MediaRef[] = names.map((member) => ({ kind: 'image', source: 'coco', path: 'train2014.zip', member }));
  const limit = pLimit(IN_FLIGHT);
  const load = loadavg()[0];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const outcomes = await Promise.all(refs.map((ref) => limit(() => resolver.resolve([ref]))));
  await store.flush();
  const seconds = (performance.now() - started) / 1e3;
  const used = process.cpuUsage(cpu);
  await pool.close();
  await raw.close();
  const failed = outcomes.filter((o) => 'problem' in o);
  if (failed.length > 0) throw new Error(`${failed.length} images failed: ${JSON.stringify(failed[0])}`);
  const storedBytes = outcomes.reduce((n, o) => n + ('newBytes' in o ? o.newBytes : 0), 0);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const perSecond = IMAGES / seconds;

  console.log(`${IMAGES} distinct ${WIDTH}x${HEIGHT} JPEGs, ${(inputBytes / IMAGES / 1e3).toFixed(0)} kB each on average, in one zip; `
    + `${workers} image workers, ${IN_FLIGHT} resolving at once; load average ${load.toFixed(1)} on ${availableParallelism()} cores\n`);
  console.log('| images | wall | images/s | CPU (all threads) | CPU ms per image | stored | VQAv2 train (82,783 images) at this rate |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(`| ${IMAGES} | ${seconds.toFixed(1)} s | ${perSecond.toFixed(0)} | ${cpuSeconds.toFixed(1)} s | ${(1e3 * cpuSeconds / IMAGES).toFixed(1)} | `
    + `${(storedBytes / IMAGES / 1e3).toFixed(0)} kB each | ${(COCO_TRAIN_IMAGES / perSecond / 60).toFixed(1)} min |`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
