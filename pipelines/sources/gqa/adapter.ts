/**
 * GQA balanced test-dev: one record per question with its single short answer. The official file
 * is an object keyed by question id ({imageId, question, answer, fullAnswer, types, ...}); LAVIS's
 * file of the same name is an array of {image, question, question_id, answer}. Which one is read
 * is decided by the data: object members have string keys, array members numeric ones.
 */
import path from 'node:path';
import type { RawAccess } from '../../raw/access.ts';
import { asObject, BadRecord, relativePath, str, type JsonObject } from '../common/fields.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { openJsonStream } from '../vizwiz/json-stream-input.ts';
import { IMAGES_ZIP, imageMember, QUESTIONS_FILE, QUESTIONS_ZIP, spec } from './spec.ts';

const SOURCE = spec.source;

interface GqaFields {
  questionId: string;
  imageId: string;
  question: string;
  answer: string;
  meta: object;
}

function officialFields(questionId: string, q: JsonObject): GqaFields {
  const types = q.types === undefined ? {} : asObject(q.types, '"types"');
  return {
    questionId,
    imageId: str(q, 'imageId'),
    question: str(q, 'question'),
    answer: str(q, 'answer'),
    meta: { fullAnswer: str(q, 'fullAnswer'), types },
  };
}

function lavisFields(q: JsonObject): GqaFields {
  const id = q.question_id;
  if (typeof id !== 'string' && typeof id !== 'number') throw new BadRecord('missing-field', '"question_id" is missing');
  return {
    questionId: String(id),
    imageId: path.posix.parse(relativePath(q, 'image')).name,
    question: str(q, 'question'),
    answer: str(q, 'answer'),
    meta: {},
  };
}

function toRecord(place: RecordPlace, fields: GqaFields, members: Set<string>): AdapterOutput {
  if (!/^[A-Za-z0-9_-]+$/.test(fields.imageId)) {
    throw new BadRecord('unsafe-path', `image id ${JSON.stringify(fields.imageId)} is not a plain file name`);
  }
  const member = imageMember(fields.imageId);
  if (!members.has(member)) throw new BadRecord('unknown-image', `${IMAGES_ZIP} has no entry ${member}`);
  return sourceRecord({
    ...place,
    id: `gqa/testdev/${fields.questionId}`,
    question: fields.question,
    answers: [fields.answer],
    answerWeights: [1],
    meta: JSON.stringify({ imageId: fields.imageId, ...fields.meta }),
    media: [{ kind: 'image', source: SOURCE, path: IMAGES_ZIP, member }],
  });
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  const input = await openJsonStream(raw, SOURCE, { archive: QUESTIONS_ZIP, member: QUESTIONS_FILE });
  if (!input) throw new Error(`${SOURCE}: neither ${QUESTIONS_ZIP} nor ${QUESTIONS_FILE} is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  if (!raw.exists(SOURCE, IMAGES_ZIP)) throw new Error(`${SOURCE}: ${IMAGES_ZIP} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  const members = new Set(await raw.members(SOURCE, IMAGES_ZIP));
  let index = 0;
  for await (const { key, value } of input.members()) {
    const place: RecordPlace = { dataset: 'gqa', split: 'testdev', sourceFile: input.file, sourceIndex: index++ };
    yield await guarded(place, async () => {
      const q = asObject(value, 'question');
      const fields = typeof key === 'string' ? officialFields(key, q) : lavisFields(q);
      return toRecord(place, fields, members);
    });
  }
}

export const adapter: SourceAdapter = { spec, read };
