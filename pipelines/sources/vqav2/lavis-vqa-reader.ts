/**
 * Reads LAVIS's VQA layout (vqa_train.json, okvqa_train.json, ...): one JSON array of
 * {question_id, question, answer: [every annotator's answer], image: "train2014/COCO_...jpg",
 * dataset}. It carries no question or answer types; the consensus answer for question generation
 * is the most frequent one.
 */
import type { RawAccess } from '../../raw/access.ts';
import { mostFrequent } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, relativePath, str, strList } from '../common/fields.ts';
import { cocoIdOf, cocoImageIndex } from '../coco/images.ts';
import type { JsonStreamInput } from '../common/json-input.ts';
import type { RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput } from '../types.ts';
import { cocoImage, type CocoImages, pairBatches, vqaPair, type VqaDatasets } from './vqa-reader.ts';

function recordPair(names: VqaDatasets, place: RecordPlace, value: unknown, images: CocoImages): AdapterOutput[] {
  const row = asObject(value, 'record');
  const questionId = int(row, 'question_id');
  const question = str(row, 'question');
  const answers = strList(row, 'answer');
  const image = relativePath(row, 'image');
  const imageId = cocoIdOf(image);
  if (imageId === null) throw new BadRecord('bad-value', `"image" "${image}" holds no COCO image id`);
  const q = { questionId, question, answers, consensus: mostFrequent(answers), meta: `{"image_id":${imageId}}` };
  return vqaPair(names, place, q, cocoImage(images, imageId));
}

/** Yields the records of one split a batch at a time, as the file is read. */
export async function* readLavisVqa(
  raw: RawAccess, names: VqaDatasets, split: string, input: JsonStreamInput,
): AsyncGenerator<AdapterOutput[]> {
  const images = await cocoImageIndex(raw);
  yield* pairBatches(names, split, input, [], (place, value) => recordPair(names, place, value, images));
}
