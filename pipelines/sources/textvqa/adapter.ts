/**
 * TextVQA val: one record per question with all ten answers, their shares as weights, and the
 * image's Rosetta OCR tokens (an image without an OCR entry is quarantined `missing-ocr`: the
 * evaluation prompt cannot be built without it).
 */
import type { RawAccess } from '../../raw/access.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, str, strList } from '../common/fields.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import { loadOcr } from '../textcaps/ocr.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { openJsonStream } from '../vizwiz/json-stream-input.ts';
import { IMAGES_ZIP, imageMember, OCR_FILE, QUESTIONS_FILE, spec } from './spec.ts';

const SOURCE = spec.source;

function requireFile(raw: RawAccess, file: string): void {
  if (!raw.exists(SOURCE, file)) throw new Error(`${SOURCE}: ${file} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
}

/** Open Images ids are 16 hex digits; anything else could name a path outside train_images/. */
function imageIdOf(question: Record<string, unknown>): string {
  const id = str(question, 'image_id');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new BadRecord('unsafe-path', `"image_id" ${JSON.stringify(id)} is not a plain file name`);
  return id;
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  [QUESTIONS_FILE, OCR_FILE, IMAGES_ZIP].forEach((file) => requireFile(raw, file));
  const ocr = await loadOcr(raw, SOURCE, OCR_FILE);
  const members = new Set(await raw.members(SOURCE, IMAGES_ZIP));
  const input = (await openJsonStream(raw, SOURCE, { member: QUESTIONS_FILE }))!;
  for await (const { key, value } of input.members(['data'])) {
    const place: RecordPlace = { dataset: 'textvqa', split: 'val', sourceFile: input.file, sourceIndex: key as number };
    yield await guarded(place, async () => {
      const q = asObject(value, 'question');
      const imageId = imageIdOf(q);
      const member = imageMember(imageId);
      if (!members.has(member)) throw new BadRecord('unknown-image', `${IMAGES_ZIP} has no entry ${member}`);
      const tokens = ocr.byImage.get(imageId);
      if (tokens === undefined) throw new BadRecord('missing-ocr', `image ${imageId} has no entry in ${OCR_FILE}`);
      if (tokens instanceof BadRecord) throw tokens;
      const answers = strList(q, 'answers');
      return sourceRecord({
        ...place,
        id: `textvqa/val/${int(q, 'question_id')}`,
        question: str(q, 'question'),
        answers,
        answerWeights: answerShares(answers),
        ocrTokens: tokens,
        meta: JSON.stringify({ image_id: imageId }),
        media: [{ kind: 'image', source: SOURCE, path: IMAGES_ZIP, member }],
      });
    });
  }
}

export const adapter: SourceAdapter = { spec, read };
