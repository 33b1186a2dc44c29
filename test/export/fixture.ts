/**
 * A small built data tree in a temp folder, made with the real writers: records of four datasets
 * (VQA with weights, A-OKVQA with choices, LLaVA conversations, held-out Visual Dialog rounds and a
 * 4-frame video record), parts cut small so splits have several parts and parts several batches,
 * a media store with JPEG and PNG images, dataset manifests and the index.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOG } from '../../pipelines/catalog.ts';
import { encodeImage } from '../../pipelines/media/encode-image.ts';
import { MediaStore } from '../../pipelines/media/media-store.ts';
import { videoFrameKey } from '../../pipelines/media/media-schema.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { type DatasetManifest, MANIFEST_FORMAT, writeDatasetManifest, writeIndex } from '../../pipelines/shards/manifest.ts';
import { buildIndex } from '../../pipelines/shards/manifest-index.ts';
import { ShardWriter } from '../../pipelines/shards/shard-writer.ts';
import { photoJpeg, scenePng } from '../media/fixture-images.ts';

export interface Fixture {
  root: string;
  shardsDir: string;
  manifestsDir: string;
  /** Every record written, by dataset then split, in shard order. */
  records: Map<string, InstructRecord[]>;
  /** Stored bytes of each image key. */
  images: Map<string, Buffer>;
  /** sha256 of the raw annotation file of each `<dataset>/<split>`. */
  rawSha256: Map<string, string>;
  cleanup(): void;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function baseRecord(dataset: string, split: string, i: number, images: string[], rawSha: string): InstructRecord {
  const info = CATALOG.find((d) => d.id === dataset)!;
  return {
    id: `${dataset}/${split}/${i}`, dataset, task: info.task, category: info.category, split, heldOut: info.heldOut, images,
    question: null, answers: [], answerWeights: [], choices: [], answerIndex: null, context: null, ocrTokens: [], dialog: [],
    conversation: [], label: null, meta: null, sourceFile: `annotations_${split}.json`, sourceIndex: i,
    sourceSha256: rawSha, license: info.license,
  };
}

const rawFileSha = (dataset: string, split: string) => sha256(`raw annotations of ${dataset}/${split}`);

function recordsOf(dataset: string, keys: string[], videoKeys: string[]): { split: string; records: InstructRecord[] }[] {
  const key = (i: number) => [keys[i % keys.length]];
  switch (dataset) {
    case 'vqav2':
      return [{ split: 'train', records: Array.from({ length: 23 }, (_, i) => ({
        ...baseRecord(dataset, 'train', i, key(i), rawFileSha(dataset, 'train')),
        question: `What colour is thing ${i}? "quoted" & <b>`, answers: ['red', 'red', `blue ${i}`], answerWeights: [0.6, 0.6, 0.3],
        ocrTokens: i % 3 === 0 ? ['STOP', 'é'] : [], meta: i % 2 === 0 ? JSON.stringify({ answerType: 'other' }) : null,
      })) }];
    case 'aokvqa':
      return [{ split: 'train', records: Array.from({ length: 9 }, (_, i) => ({
        ...baseRecord(dataset, 'train', i, key(i + 1), rawFileSha(dataset, 'train')),
        question: `Why is object ${i} here?`, answers: ['to sit', 'sitting'], choices: ['to sit', 'to eat', 'to fly', 'to swim'],
        answerIndex: i % 4, context: i % 2 === 0 ? 'a rationale' : null,
      })) }];
    case 'llava-conversation':
      return [{ split: 'train', records: Array.from({ length: 6 }, (_, i) => ({
        ...baseRecord(dataset, 'train', i, key(i + 2), rawFileSha(dataset, 'train')),
        conversation: [
          { from: 'human', value: `<image>\nWhat is in picture ${i}?` }, { from: 'gpt', value: `A scene ${i}.` },
          { from: 'human', value: 'And the sky?' }, { from: 'gpt', value: 'Blue, with clouds.' },
        ],
      })) }];
    case 'visdial':
      return [{ split: 'val', records: Array.from({ length: 7 }, (_, i) => ({
        ...baseRecord(dataset, 'val', i, i === 6 ? videoKeys : key(i), rawFileSha(dataset, 'val')),
        question: `round ${i} question?`, answers: ['yes'], choices: ['yes', 'no', 'maybe'], answerIndex: 0,
        context: `caption ${i}`, label: i % 2,
        dialog: Array.from({ length: i % 4 }, (_, r) => ({ question: `q${r}`, answer: `a${r}` })),
      })) }];
    default:
      throw new Error(`fixture: no records for ${dataset}`);
  }
}

export const FIXTURE_DATASETS = ['vqav2', 'aokvqa', 'llava-conversation', 'visdial'] as const;

export async function buildFixture(options: { batchRows?: number; partBytes?: number } = {}): Promise<Fixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'export-fixture-'));
  const shardsDir = path.join(root, 'shards');
  const manifestsDir = path.join(root, 'manifests');
  const store = await MediaStore.open(shardsDir, { batchRows: 3 });
  const images = new Map<string, Buffer>();
  const keys: string[] = [];
  const originals = [...await Promise.all([0, 1, 2, 3].map((s) => photoJpeg(s, 64, 48))), await scenePng(7)];
  for (const original of originals) {
    const encoded = await encodeImage(original);
    const key = sha256(original);
    await store.add(key, encoded);
    images.set(key, encoded.bytes);
    keys.push(key);
  }
  const video = sha256('a video');
  const videoKeys = [0, 1, 2, 3].map((i) => videoFrameKey(video, i, 4));
  for (const [i, key] of videoKeys.entries()) {
    const encoded = await encodeImage(await photoJpeg(10 + i, 32, 32));
    await store.add(key, encoded);
    images.set(key, encoded.bytes);
  }
  await store.flush();

  const records = new Map<string, InstructRecord[]>();
  const rawSha256 = new Map<string, string>();
  const manifests: DatasetManifest[] = [];
  for (const dataset of FIXTURE_DATASETS) {
    const info = CATALOG.find((d) => d.id === dataset)!;
    const splits: DatasetManifest['splits'] = {};
    const rawInputs: DatasetManifest['rawInputs'] = [];
    for (const { split, records: list } of recordsOf(dataset, keys, videoKeys)) {
      rawSha256.set(`${dataset}/${split}`, rawFileSha(dataset, split));
      rawInputs.push({ source: info.source, path: `annotations_${split}.json`, url: 'https://example.org/a.json', bytes: 10, sha256: rawFileSha(dataset, split) });
      const writer = new ShardWriter({ shardsDir, dataset, split, batchRows: options.batchRows ?? 4, partBytes: options.partBytes ?? 3000 });
      for (const record of list) await writer.append(record);
      const shards = await writer.finish();
      splits[split] = { records: list.length, quarantined: { total: 0, reasons: {}, file: null }, skipped: {}, shards };
      records.set(`${dataset}/${split}`, list);
    }
    manifests.push({
      format: MANIFEST_FORMAT, dataset, title: info.title, category: info.category, task: info.task, heldOut: info.heldOut,
      license: info.license, citation: info.citation, source: info.source, adapterVersion: '1',
      rawInputs,
      splits, media: { imagesReferenced: 0, newImagesStored: 0, newImageBytes: 0, videos: 0 }, builtAt: '2026-01-01T00:00:00.000Z', buildSeconds: 1,
    });
  }
  for (const manifest of manifests) await writeDatasetManifest(manifestsDir, manifest);
  await writeIndex(manifestsDir, buildIndex(manifests, { parts: store.partIndexes.length, images: store.size, bytes: 0 }));
  return { root, shardsDir, manifestsDir, records, images, rawSha256, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
