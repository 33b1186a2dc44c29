/**
 * VSR zero-shot test: one record per statement, the statement as `question`, its truth as
 * `label` (1 true, 0 false) and the spatial relation in `meta`. Images are COCO's, found by the id
 * in the 2017 file name wherever raw/coco holds it.
 */
import type { RawAccess } from '../../raw/access.ts';
import { asObject, BadRecord, int, relativePath, str } from '../common/fields.ts';
import { cocoIdOf, cocoImageRef } from '../coco/images.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { jsonLines } from './json-lines.ts';
import { spec, TEST_FILE } from './spec.ts';

const SOURCE = spec.source;

async function statementRecord(raw: RawAccess, place: RecordPlace, value: unknown): Promise<AdapterOutput> {
  if (value instanceof BadRecord) throw value;
  const line = asObject(value, 'line');
  const image = relativePath(line, 'image');
  const cocoId = cocoIdOf(image);
  if (cocoId === null) throw new BadRecord('bad-value', `"image" "${image}" holds no COCO image id`);
  const label = int(line, 'label');
  if (label !== 0 && label !== 1) throw new BadRecord('bad-value', `"label" is ${label}, expected 0 or 1`);
  const caption = str(line, 'caption');
  const relation = str(line, 'relation');
  const media = await cocoImageRef(raw, cocoId);
  if (!media) throw new BadRecord('unknown-image', `COCO image ${cocoId} ("${image}") is in no COCO image archive under raw/coco`);
  return sourceRecord({
    ...place,
    id: `vsr/test/${place.sourceIndex}`,
    question: caption,
    label,
    meta: JSON.stringify({ relation, cocoId }),
    media: [media],
  });
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  if (!raw.exists(SOURCE, TEST_FILE)) throw new Error(`${SOURCE}: ${TEST_FILE} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  for await (const { index, value } of jsonLines(raw.stream(SOURCE, TEST_FILE))) {
    // VSR lines have no id of their own: the line number is the stable native id of a file version.
    const place: RecordPlace = { dataset: 'vsr', split: 'test', sourceFile: TEST_FILE, sourceIndex: index };
    yield await guarded(place, () => statementRecord(raw, place, value));
  }
}

export const adapter: SourceAdapter = { spec, read };
