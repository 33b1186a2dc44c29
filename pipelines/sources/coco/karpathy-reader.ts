/**
 * coco-caption from Karpathy's dataset_coco.json: one record per image with all its sentences,
 * `train` and `restval` both becoming the train split.
 */
import type { RawAccess } from '../../raw/access.ts';
import type { AdapterOutput } from '../types.ts';
import { answerShares } from './answer-shares.ts';
import { asObject, BadRecord, int, objList, str } from './fields.ts';
import { cocoImageRef } from './images.ts';
import type { JsonInput } from './json-input.ts';
import { guarded, sourceRecord, type RecordPlace } from './source-record.ts';

const DATASET = 'coco-caption';
const SPLIT_OF: Record<string, string> = { train: 'train', restval: 'train', val: 'val', test: 'test' };

export function karpathyImages(input: JsonInput): unknown[] {
  const top = input.value as { images?: unknown };
  if (typeof top !== 'object' || top === null || !Array.isArray(top.images)) {
    throw new Error(`coco: ${input.label} has no "images" array; it is not Karpathy's dataset_coco.json, fetch caption_datasets.zip again`);
  }
  return top.images;
}

async function karpathyRecord(raw: RawAccess, entry: unknown, place: RecordPlace): Promise<AdapterOutput> {
  const image = asObject(entry, 'image entry');
  const karpathySplit = str(image, 'split');
  const split = SPLIT_OF[karpathySplit];
  if (!split) throw new BadRecord('bad-value', `"split" is "${karpathySplit}", expected train, restval, val or test`);
  place.split = split;
  const cocoid = int(image, 'cocoid');
  const captions = objList(image, 'sentences').map((sentence) => str(sentence, 'raw').trim());
  const media = await cocoImageRef(raw, cocoid);
  if (!media) throw new BadRecord('unknown-image', `COCO image ${cocoid} is in no COCO image archive under raw/coco`);
  return sourceRecord({
    ...place,
    id: `${DATASET}/${split}/${cocoid}`,
    answers: captions,
    answerWeights: answerShares(captions),
    meta: JSON.stringify({ cocoid, karpathySplit }),
    media: [media],
  });
}

export async function* readKarpathy(raw: RawAccess, input: JsonInput): AsyncIterable<AdapterOutput> {
  const images = karpathyImages(input);
  for (let i = 0; i < images.length; i++) {
    const place: RecordPlace = { dataset: DATASET, split: 'unknown', sourceFile: input.file, sourceIndex: i };
    yield await guarded(place, () => karpathyRecord(raw, images[i], place));
  }
}
