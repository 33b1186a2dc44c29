/**
 * Reads LAVIS's VQA layout (vqa_train.json, okvqa_train.json, ...): one JSON array of
 * {question_id, question, answer: [every annotator's answer], image: "train2014/COCO_...jpg",
 * dataset}. It carries no question or answer types; the consensus answer for question generation
 * is the most frequent one.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { mostFrequent } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, relativePath, str, strList } from '../common/fields.ts';
import { cocoIdOf } from '../coco/images.ts';
import type { JsonStreamInput } from '../common/json-input.ts';
import { guardedAll } from '../common/source-record.ts';
import type { AdapterOutput } from '../types.ts';
import { cocoMedia, vqaPair, type VqaDatasets } from './vqa-reader.ts';

export async function* readLavisVqa(
  raw: RawAccess, names: VqaDatasets, split: string, input: JsonStreamInput,
): AsyncIterable<AdapterOutput> {
  for await (const { key, value } of jsonMembers(input.stream, [], `${names.source}: ${input.label}`)) {
    const places = [names.vqa, names.qg].map((dataset) => ({ dataset, split, sourceFile: input.file, sourceIndex: key as number }));
    yield* await guardedAll(places, async () => {
      const row = asObject(value, 'record');
      const questionId = int(row, 'question_id');
      const question = str(row, 'question');
      const answers = strList(row, 'answer');
      const image = relativePath(row, 'image');
      const imageId = cocoIdOf(image);
      if (imageId === null) throw new BadRecord('bad-value', `"image" "${image}" holds no COCO image id`);
      const q = { questionId, imageId, question, answers, consensus: mostFrequent(answers), meta: {} };
      return vqaPair(names, places[0], q, await cocoMedia(raw, imageId));
    });
  }
}
