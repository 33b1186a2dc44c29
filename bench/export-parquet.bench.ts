/**
 * Parquet export throughput, compared in the same run with nodejs-polars writing the same table.
 * A synthetic built split (VQA-like records, one image each, images as incompressible bytes of
 * JPEG size) goes through three writers; MB/s is Parquet bytes out per second of wall clock:
 *   export      npm run export's path: shard parts read, media store joined, parquet-wasm writes
 *   wasm write  parquet-wasm alone on the joined batches already in memory
 *   polars      DataFrame.writeParquet (snappy) of the same table already in memory
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import pl from 'nodejs-polars';
import { IMAGE_BYTES_FIELD } from '../pipelines/export/parquet.ts';
import { joinImages } from '../pipelines/export/image-column.ts';
import { writeParquetFile } from '../pipelines/export/parquet-file.ts';
import { runExport } from '../pipelines/export/run-export.ts';
import { MediaReader } from '../pipelines/media/media-reader.ts';
import { MediaStore } from '../pipelines/media/media-store.ts';
import { MANIFEST_FORMAT, writeDatasetManifest } from '../pipelines/shards/manifest.ts';
import { ShardReader } from '../pipelines/shards/shard-reader.ts';
import { ShardWriter } from '../pipelines/shards/shard-writer.ts';
import { simpleRecord } from '../test/shards/arbitrary-record.ts';

const RECORDS = 12_000;
const IMAGES = 3_000;
const IMAGE_BYTES = 40 * 1024;

const root = mkdtempSync(path.join(tmpdir(), 'bench-export-'));
const shardsDir = path.join(root, 'shards');
const manifestsDir = path.join(root, 'manifests');

async function build(): Promise<void> {
  const store = await MediaStore.open(shardsDir);
  const keys: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const bytes = randomBytes(IMAGE_BYTES);
    const key = createHash('sha256').update(bytes).digest('hex');
    await store.add(key, { bytes, format: 'jpeg', width: 448, height: 336, phash: '0'.repeat(16) });
    keys.push(key);
  }
  await store.flush();
  const writer = new ShardWriter({ shardsDir, dataset: 'vqav2', split: 'train' });
  for (let i = 0; i < RECORDS; i++) await writer.append({ ...simpleRecord(i), images: [keys[i % IMAGES]], answers: ['yes', 'no', `answer ${i}`], answerWeights: [0.5, 0.3, 0.2] });
  const shards = await writer.finish();
  await writeDatasetManifest(manifestsDir, {
    format: MANIFEST_FORMAT, dataset: 'vqav2', title: 'VQAv2', category: 'image-qa', task: 'vqa', heldOut: false, license: '', citation: '',
    source: 'vqav2', adapterVersion: 'bench', rawInputs: [],
    splits: { train: { records: RECORDS, quarantined: { total: 0, reasons: {}, file: null }, skipped: {}, shards } },
    media: { imagesReferenced: IMAGES, newImagesStored: IMAGES, newImageBytes: IMAGES * IMAGE_BYTES, videos: 0 }, builtAt: '', buildSeconds: 0,
  });
}

async function joinedBatches(): Promise<RecordBatch[]> {
  const media = await MediaReader.open(shardsDir);
  const batches: RecordBatch[] = [];
  const reader = await ShardReader.open(path.join(shardsDir, 'vqav2/train/part-00000.arrow'));
  for (let b = 0; b < reader.numBatches; b++) {
    for await (const joined of joinImages(await reader.readRecordBatch(b), media, IMAGE_BYTES_FIELD, (image) => image.bytes, 32 * 1024 * 1024)) batches.push(joined);
  }
  await reader.close();
  await media.close();
  return batches;
}

async function* iterate<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

interface Timing {
  seconds: number;
  /** CPU seconds of all the process's threads (polars writes with several). */
  cpu: number;
  bytes: number;
}

async function timed(run: () => Promise<string>): Promise<Timing> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const file = await run();
  const cpu = process.cpuUsage(cpuStarted);
  return { seconds: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6, bytes: statSync(file).size };
}

try {
  await build();
  const out = path.join(root, 'out');
  const exported = await timed(async () => {
    await runExport({ format: 'parquet', shardsDir, manifestsDir, outDir: out });
    return path.join(out, 'vqav2/train/part-00000.parquet');
  });
  const batches = await joinedBatches();
  const wasm = await timed(async () => {
    const file = path.join(root, 'wasm.parquet');
    await writeParquetFile(file, iterate(batches));
    return file;
  });
  const df = pl.readParquet(path.join(out, 'vqav2/train/part-00000.parquet'));
  const polars = await timed(async () => {
    const file = path.join(root, 'polars.parquet');
    df.writeParquet(file, { compression: 'snappy' });
    return file;
  });
  const mbps = (r: Timing) => r.bytes / 1e6 / r.seconds;
  console.log(`${RECORDS.toLocaleString('en-US')} records, ${IMAGES.toLocaleString('en-US')} distinct images of ${IMAGE_BYTES / 1024} KiB, one per record\n`);
  console.log('| writer | Parquet MB | wall s | CPU s | MB/s (wall) | vs polars |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, r] of [['export (read shards + join media + write)', exported], ['parquet-wasm write only', wasm], ['polars writeParquet', polars]] as const) {
    console.log(`| ${name} | ${(r.bytes / 1e6).toFixed(1)} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${mbps(r).toFixed(0)} | ${(mbps(r) / mbps(polars)).toFixed(2)}x |`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
