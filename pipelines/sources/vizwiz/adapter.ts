/**
 * VizWiz-VQA validation questions. The annotations come from the official Annotations.zip (val.json
 * inside it) or, when only that is present, from the X-InstructBLIP copy val.json with the same
 * keys. Images are looked up by file name in val.zip, whatever folder the archive puts them in.
 */
import path from 'node:path';
import type { RawAccess } from '../../raw/access.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, objList, relativePath, str } from '../common/fields.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { openJsonStream } from './json-stream-input.ts';
import { spec } from './spec.ts';

const SOURCE = spec.source;
const IMAGES = 'val.zip';

/** Image file name -> entry in val.zip. */
async function imageMembers(raw: RawAccess): Promise<Map<string, string>> {
  if (!raw.exists(SOURCE, IMAGES)) throw new Error(`${SOURCE}: ${IMAGES} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  return new Map((await raw.members(SOURCE, IMAGES)).map((m) => [path.posix.basename(m), m]));
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  const input = await openJsonStream(raw, SOURCE, { archive: 'Annotations.zip', member: 'val.json' });
  if (!input) throw new Error(`${SOURCE}: neither Annotations.zip nor val.json is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  const images = await imageMembers(raw);
  for await (const { key, value } of input.members()) {
    if (typeof key !== 'number') throw new Error(`${SOURCE}: ${input.label} is not a JSON array of questions; it is not VizWiz val.json`);
    const place: RecordPlace = { dataset: 'vizwiz', split: 'val', sourceFile: input.file, sourceIndex: key };
    yield await guarded(place, async () => {
      const q = asObject(value, 'question');
      const image = relativePath(q, 'image');
      const member = images.get(image);
      if (!member) throw new BadRecord('unknown-image', `"image" ${image} is not in ${IMAGES}`);
      const answers = objList(q, 'answers').map((a) => str(a, 'answer'));
      return sourceRecord({
        ...place,
        id: `vizwiz/val/${path.posix.parse(image).name}`,
        question: str(q, 'question'),
        answers,
        answerWeights: answerShares(answers),
        meta: JSON.stringify({ answer_type: str(q, 'answer_type'), answerable: int(q, 'answerable') }),
        media: [{ kind: 'image', source: SOURCE, path: IMAGES, member }],
      });
    });
  }
}

export const adapter: SourceAdapter = { spec, read };
