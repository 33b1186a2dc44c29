/**
 * Small built shards for the stream tests and benchmark: records of a few held-in datasets (and one
 * held-out set) written with the shard writer, manifests as build-shards writes them, and real
 * images (rendered sample scenes, one pure white) in the media store.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { datasetInfo } from '../../pipelines/catalog.ts';
import { encodeImage } from '../../pipelines/media/encode-image.ts';
import { MediaStore } from '../../pipelines/media/media-store.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { COLOR_NAMES, POSITIONS, renderScene, SHAPE_NAMES } from '../../pipelines/sample/scene.ts';
import { type DatasetManifest, MANIFEST_FORMAT, writeDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { ShardWriter } from '../../pipelines/shards/shard-writer.ts';
import { fixtureRecord } from '../format/fixtures.ts';

export interface FixtureOptions {
  /** Training records per dataset. */
  datasets: Record<string, number>;
  /** Rows per record batch and bytes per part: small, so a dataset spans several batches and parts. */
  batchRows?: number;
  partBytes?: number;
  /** Distinct scene images besides the white one. */
  scenes?: number;
  /** Grid cells per scene side (16 px each): 7 gives the sample's 112 px PNGs, 28 gives 448 px JPEGs like real photos. */
  sceneCells?: number;
  /** Records per held-out dataset written alongside (gqa), which no stream may read. */
  heldOutRecords?: number;
  /** Changes records before they are written (to plant a bad one); `white` is the white image's key. */
  edit?: (record: InstructRecord, index: number, white: string) => InstructRecord;
}

export interface Fixture {
  shardsDir: string;
  manifestsDir: string;
  /** Every record written, by dataset, in training-index order. */
  records: Map<string, InstructRecord[]>;
  whiteImage: string;
  /** Part sizes in bytes by path relative to the shards folder. */
  partBytes: Map<string, number>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function storeImages(shardsDir: string, scenes: number, cells: number): Promise<{ keys: string[]; white: string }> {
  const store = await MediaStore.open(shardsDir, { batchRows: 3 });
  const keys: string[] = [];
  for (let i = 0; i < scenes; i++) {
    const png = await renderScene({
      shape: SHAPE_NAMES[i % 3], color: COLOR_NAMES[i % COLOR_NAMES.length], count: ((i % 3) + 1) as 1 | 2 | 3, position: POSITIONS[i % 4],
    }, { format: 'png', cells });
    keys.push(sha256(png));
    await store.add(keys[i], await encodeImage(png));
  }
  const whitePng = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const white = sha256(whitePng);
  await store.add(white, await encodeImage(whitePng));
  await store.flush();
  return { keys, white };
}

/** A record of `dataset` whose text varies with i, so token lengths vary. */
function variedRecord(dataset: string, i: number, image: string): InstructRecord {
  const words = ['red', 'circle', 'two', 'left', 'square', 'bright', 'shapes', 'corner'];
  const phrase = (k: number) => Array.from({ length: 1 + (k % 5) }, (_, j) => words[(k + j * 3) % words.length]).join(' ');
  const base = fixtureRecord(dataset, { images: [image] }, String(i));
  // The shards store weights as float32; rounding here lets tests compare records read back.
  base.answerWeights = base.answerWeights.map(Math.fround);
  if (base.conversation.length > 0) {
    const turns = 2 * (1 + (i % 3));
    base.conversation = Array.from({ length: turns }, (_, t) => ({
      from: t % 2 === 0 ? 'human' : 'gpt',
      value: t % 2 === 0 ? `${t === 0 ? '<image>\n' : ''}What about the ${phrase(i + t)}?` : `The ${phrase(i * 7 + t)} is there.`,
    }));
    return base;
  }
  if (base.question !== null) base.question = `Is the ${phrase(i)} on the left?`;
  base.answers = base.answers.map((a, k) => `${a} ${phrase(i + k)}`);
  return base;
}

async function writeDataset(
  shardsDir: string, manifestsDir: string, dataset: string, records: InstructRecord[], batchRows: number, partBytes: number,
): Promise<DatasetManifest> {
  const info = datasetInfo(dataset);
  const split = records[0].split;
  const writer = new ShardWriter({ shardsDir, dataset, split, batchRows, partBytes });
  for (const r of records) await writer.append(r);
  const shards = await writer.finish();
  const manifest: DatasetManifest = {
    format: MANIFEST_FORMAT, dataset, title: info.title, category: info.category, task: info.task, heldOut: info.heldOut,
    license: info.license, citation: info.citation, source: info.source, adapterVersion: 'test', rawInputs: [],
    splits: { [split]: { records: records.length, quarantined: { total: 0, reasons: {}, file: null }, skipped: {}, shards } },
    media: { imagesReferenced: 0, newImagesStored: 0, newImageBytes: 0, videos: 0 },
    builtAt: new Date(0).toISOString(), buildSeconds: 0,
  };
  await writeDatasetManifest(manifestsDir, manifest);
  return manifest;
}

export async function buildFixture(root: string, options: FixtureOptions): Promise<Fixture> {
  const shardsDir = path.join(root, 'shards');
  const manifestsDir = path.join(root, 'manifests');
  const { batchRows = 4, partBytes = 6000, scenes = 6, sceneCells = 7, heldOutRecords = 5 } = options;
  const { keys, white } = await storeImages(shardsDir, scenes, sceneCells);
  const records = new Map<string, InstructRecord[]>();
  const partSizes = new Map<string, number>();
  const all = { ...options.datasets, ...(heldOutRecords > 0 ? { gqa: heldOutRecords } : {}) };
  for (const [dataset, count] of Object.entries(all)) {
    // Every seventh record shows the white image, the rest cycle through the scenes.
    const edit = options.edit ?? ((r) => r);
    const list = Array.from({ length: count }, (_, i) => edit(variedRecord(dataset, i, i % 7 === 3 ? white : keys[i % keys.length]), i, white));
    const manifest = await writeDataset(shardsDir, manifestsDir, dataset, list, batchRows, partBytes);
    for (const s of Object.values(manifest.splits)[0].shards) partSizes.set(s.path, s.bytes);
    records.set(dataset, list);
  }
  return { shardsDir, manifestsDir, records, whiteImage: white, partBytes: partSizes };
}
