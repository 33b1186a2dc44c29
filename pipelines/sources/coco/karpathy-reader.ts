/**
 * coco-caption from Karpathy's dataset_coco.json: one record per image with all its sentences,
 * `train` and `restval` both becoming the train split.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import type { AdapterOutput } from '../types.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, objList, str } from '../common/fields.ts';
import { cocoImageRef } from './images.ts';
import type { JsonStreamInput } from '../common/json-input.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';

const DATASET = 'coco-caption';
const SPLIT_OF: Record<string, string> = { train: 'train', restval: 'train', val: 'val', test: 'test' };

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

/** Streams the `images` array of dataset_coco.json (about 140 MB for the real file). */
export async function* readKarpathy(raw: RawAccess, input: JsonStreamInput): AsyncIterable<AdapterOutput> {
  for await (const { key, value } of jsonMembers(input.stream, ['images'], `coco: ${input.label}`)) {
    const place: RecordPlace = { dataset: DATASET, split: 'unknown', sourceFile: input.file, sourceIndex: key as number };
    yield await guarded(place, () => karpathyRecord(raw, value, place));
  }
}
