/**
 * coco-caption from LAVIS's re-hosted Karpathy files: coco_karpathy_train.json has one record per
 * caption ({caption, image, image_id}) and is regrouped here into one record per image, as the
 * official reader gives; coco_karpathy_{val,test}.json already have one record per image
 * ({image, caption: [...]}).
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import type { AdapterOutput } from '../types.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, relativePath, str, strList } from '../common/fields.ts';
import { cocoIdOf, cocoImageRef } from './images.ts';
import type { JsonStreamInput } from '../common/json-input.ts';
import { guarded, quarantined, sourceRecord, type RecordPlace } from '../common/source-record.ts';

const DATASET = 'coco-caption';

export const LAVIS_KARPATHY_FILES = {
  train: 'coco_karpathy_train.json',
  val: 'coco_karpathy_val.json',
  test: 'coco_karpathy_test.json',
} as const;

const rowsOf = (input: JsonStreamInput) => jsonMembers(input.stream, [], `coco: ${input.label}`);

function imageId(image: string): number {
  const id = cocoIdOf(image);
  if (id === null) throw new BadRecord('bad-value', `"image" "${image}" holds no COCO image id`);
  return id;
}

async function imageRecord(
  raw: RawAccess, place: RecordPlace, image: string, captions: string[],
): Promise<AdapterOutput> {
  const cocoid = imageId(image);
  const media = await cocoImageRef(raw, cocoid);
  if (!media) throw new BadRecord('unknown-image', `COCO image ${cocoid} ("${image}") is in no COCO image archive under raw/coco`);
  return sourceRecord({
    ...place,
    id: `${DATASET}/${place.split}/${cocoid}`,
    answers: captions,
    answerWeights: answerShares(captions),
    meta: JSON.stringify({ cocoid }),
    media: [media],
  });
}

/** Per-caption train records, grouped by image in order of first appearance. */
export async function* readLavisTrain(raw: RawAccess, input: JsonStreamInput): AsyncIterable<AdapterOutput> {
  const groups = new Map<string, { first: number; captions: string[] }>();
  for await (const { key, value } of rowsOf(input)) {
    const place: RecordPlace = { dataset: DATASET, split: 'train', sourceFile: input.file, sourceIndex: key as number };
    try {
      const row = asObject(value, 'record');
      const image = relativePath(row, 'image');
      const caption = str(row, 'caption').trim();
      const group = groups.get(image) ?? { first: key as number, captions: [] };
      group.captions.push(caption);
      groups.set(image, group);
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      yield quarantined(place, err);
    }
  }
  for (const [image, { first, captions }] of groups) {
    const place: RecordPlace = { dataset: DATASET, split: 'train', sourceFile: input.file, sourceIndex: first };
    yield await guarded(place, () => imageRecord(raw, place, image, captions));
  }
}

/** Per-image val or test records. */
export async function* readLavisEval(raw: RawAccess, input: JsonStreamInput, split: 'val' | 'test'): AsyncIterable<AdapterOutput> {
  for await (const { key, value } of rowsOf(input)) {
    const place: RecordPlace = { dataset: DATASET, split, sourceFile: input.file, sourceIndex: key as number };
    yield await guarded(place, async () => {
      const row = asObject(value, 'record');
      const captions = strList(row, 'caption').map((c) => c.trim());
      return imageRecord(raw, place, relativePath(row, 'image'), captions);
    });
  }
}
