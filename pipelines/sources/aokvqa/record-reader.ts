/**
 * One A-OKVQA split file (a JSON array of records) into `aokvqa` and `aokvqa-qg` records.
 *
 * aokvqa: `question`, the four `choices` with `answerIndex` = correct_choice_idx, and the ten
 * direct answers in `answers` with their shares in `answerWeights`; rationales and the
 * difficult-direct-answer flag go to `meta`.
 * aokvqa-qg: `question` is the TARGET question and `answers` = [the correct choice], the answer
 * the VQG templates give the model. The correct choice, not the most frequent direct answer: it
 * is the curated answer, and it always exists.
 */
import type { Readable } from 'node:stream';
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, bool, int, relativePath, str, strList, type JsonObject } from '../common/fields.ts';
import { cocoIdOf } from '../coco/images.ts';
import { guardedAll, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput } from '../types.ts';
import { cocoMedia } from '../vqav2/vqa-reader.ts';

/** The COCO id: `image_id` in the official files; LAVIS's copies also carry an `image` path. */
function imageIdOf(record: JsonObject): number {
  const path = record.image === undefined ? null : relativePath(record, 'image');
  if (record.image_id !== undefined || path === null) return int(record, 'image_id');
  const id = cocoIdOf(path);
  if (id === null) throw new BadRecord('bad-value', `"image" "${path}" holds no COCO image id`);
  return id;
}

async function convert(raw: RawAccess, value: unknown, places: RecordPlace[]): Promise<AdapterOutput[]> {
  const record = asObject(value, 'record');
  const questionId = str(record, 'question_id');
  if (!/^[A-Za-z0-9]+$/.test(questionId)) throw new BadRecord('bad-value', `"question_id" "${questionId}" is not a short UUID`);
  const question = str(record, 'question');
  const choices = strList(record, 'choices', 4);
  const answerIndex = int(record, 'correct_choice_idx');
  if (answerIndex < 0 || answerIndex >= choices.length) {
    throw new BadRecord('bad-value', `"correct_choice_idx" ${answerIndex} is not an index into the ${choices.length} choices`);
  }
  const direct = strList(record, 'direct_answers');
  const rationales = strList(record, 'rationales');
  const difficult = record.difficult_direct_answer === undefined ? null : bool(record, 'difficult_direct_answer');
  const imageId = imageIdOf(record);
  const media = [await cocoMedia(raw, imageId)];
  const [vqa, qg] = places;
  const id = `${vqa.dataset}/${vqa.split}/${questionId}`;
  return [
    sourceRecord({
      ...vqa,
      id,
      question,
      answers: direct,
      answerWeights: answerShares(direct),
      choices,
      answerIndex,
      meta: JSON.stringify({ image_id: imageId, difficult_direct_answer: difficult, rationales }),
      media,
    }),
    sourceRecord({
      ...qg,
      id: `${qg.dataset}/${qg.split}/${questionId}`,
      question,
      answers: [choices[answerIndex]],
      answerWeights: [1],
      meta: JSON.stringify({ parent: id, image_id: imageId }),
      media,
    }),
  ];
}

export async function* readAokvqaSplit(
  raw: RawAccess, split: string, body: Readable, sourceFile: string, label: string,
): AsyncIterable<AdapterOutput> {
  for await (const { key, value } of jsonMembers(body, [], `aokvqa: ${label}`)) {
    const places = ['aokvqa', 'aokvqa-qg'].map((dataset) => ({ dataset, split, sourceFile, sourceIndex: key as number }));
    yield* await guardedAll(places, () => convert(raw, value, places));
  }
}
