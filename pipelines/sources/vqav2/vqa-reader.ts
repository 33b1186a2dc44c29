/**
 * Reads the official VQA layout (a questions file and an annotations file per split, joined on
 * question_id), shared by VQAv2 and OK-VQA. Each annotated question gives two records:
 *
 * - the VQA record: `question`, `answers` = every annotator's answer with repeats (10), and
 *   `answerWeights` = each answer's share of the annotators;
 * - the question-generation record (vqav2-qg, okvqa-qg), made from the same annotation: its
 *   `question` is the TARGET the model must produce, and `answers` holds one string, the
 *   consensus answer (multiple_choice_answer where the file has it, else the most frequent
 *   answer), which the VQG templates put in the instruction ("...whose answer is {answer}").
 *
 * Questions stream into a map first (small), annotations stream after, so the large annotations
 * file is never held whole.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { answerShares, mostFrequent } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, objList, str, type JsonObject } from '../common/fields.ts';
import { cocoImageRef } from '../coco/images.ts';
import type { JsonStreamInput } from '../common/json-input.ts';
import { guardedAll, quarantined, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, MediaRef } from '../types.ts';

export interface VqaDatasets {
  source: string;
  vqa: string;
  qg: string;
}

export interface VqaQuestion {
  questionId: number;
  imageId: number;
  question: string;
  answers: string[];
  consensus: string;
  /** Extra facts for `meta` (question_type, answer_type, ...). */
  meta: Record<string, unknown>;
}

const placesFor = (names: VqaDatasets, split: string, sourceFile: string, sourceIndex: number): RecordPlace[] =>
  [names.vqa, names.qg].map((dataset) => ({ dataset, split, sourceFile, sourceIndex }));

export async function cocoMedia(raw: RawAccess, imageId: number): Promise<MediaRef> {
  const media = await cocoImageRef(raw, imageId);
  if (!media) throw new BadRecord('unknown-image', `COCO image ${imageId} is in no COCO image archive under raw/coco`);
  return media;
}

/** The VQA record and its question-generation twin. */
export function vqaPair(names: VqaDatasets, place: RecordPlace, q: VqaQuestion, media: MediaRef): AdapterOutput[] {
  const id = `${names.vqa}/${place.split}/${q.questionId}`;
  return [
    sourceRecord({
      ...place,
      dataset: names.vqa,
      id,
      question: q.question,
      answers: q.answers,
      answerWeights: answerShares(q.answers),
      meta: JSON.stringify({ image_id: q.imageId, ...q.meta }),
      media: [media],
    }),
    sourceRecord({
      ...place,
      dataset: names.qg,
      id: `${names.qg}/${place.split}/${q.questionId}`,
      question: q.question,
      answers: [q.consensus],
      answerWeights: [1],
      meta: JSON.stringify({ parent: id, image_id: q.imageId, ...q.meta }),
      media: [media],
    }),
  ];
}

/** Answer strings of a VQA annotation in annotator order; a bad entry names its position. */
function annotationAnswers(annotation: JsonObject): string[] {
  return objList(annotation, 'answers').map((entry, i) => {
    try {
      return str(entry, 'answer');
    } catch (err) {
      if (err instanceof BadRecord) throw new BadRecord(err.reason, `"answers"[${i}]: ${err.detail}`);
      throw err;
    }
  });
}

const optionalFields = (annotation: JsonObject, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => annotation[k] !== undefined).map((k) => [k, annotation[k]]));

async function loadQuestions(
  input: JsonStreamInput, names: VqaDatasets, split: string, bad: AdapterOutput[],
): Promise<Map<number, { value: JsonObject; index: number }>> {
  const questions = new Map<number, { value: JsonObject; index: number }>();
  for await (const { key, value } of jsonMembers(input.stream, ['questions'], `${names.source}: ${input.label}`)) {
    const index = key as number;
    try {
      const question = asObject(value, 'question');
      questions.set(int(question, 'question_id'), { value: question, index });
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      for (const place of placesFor(names, split, input.file, index)) bad.push(quarantined(place, err));
    }
  }
  return questions;
}

export async function* readOfficialVqa(
  raw: RawAccess, names: VqaDatasets, split: string, questionsInput: JsonStreamInput, annotationsInput: JsonStreamInput,
): AsyncIterable<AdapterOutput> {
  const bad: AdapterOutput[] = [];
  const questions = await loadQuestions(questionsInput, names, split, bad);
  yield* bad;
  const where = `${names.source}: ${annotationsInput.label}`;
  for await (const { key, value } of jsonMembers(annotationsInput.stream, ['annotations'], where)) {
    const places = placesFor(names, split, annotationsInput.file, key as number);
    yield* await guardedAll(places, async () => {
      const annotation = asObject(value, 'annotation');
      const questionId = int(annotation, 'question_id');
      // Claimed first, so a question whose annotation is bad is reported once, not also as unannotated.
      const entry = questions.get(questionId);
      if (!entry) throw new BadRecord('unknown-question', `question_id ${questionId} is not in ${questionsInput.label}`);
      questions.delete(questionId);
      const imageId = int(annotation, 'image_id');
      const answers = annotationAnswers(annotation);
      const question = str(entry.value, 'question');
      const askedAbout = int(entry.value, 'image_id');
      if (askedAbout !== imageId) {
        throw new BadRecord('bad-value', `question ${questionId} is about image ${askedAbout} but its annotation names image ${imageId}`);
      }
      const consensus = annotation.multiple_choice_answer === undefined ? mostFrequent(answers) : str(annotation, 'multiple_choice_answer');
      const meta = optionalFields(annotation, ['question_type', 'answer_type', 'multiple_choice_answer', 'confidence']);
      const q: VqaQuestion = { questionId, imageId, question, answers, consensus, meta };
      return vqaPair(names, places[0], q, await cocoMedia(raw, imageId));
    });
  }
  for (const [questionId, { index }] of questions) {
    const err = new BadRecord('missing-annotation', `question ${questionId} has no annotation in ${annotationsInput.label}`);
    for (const place of placesFor(names, split, questionsInput.file, index)) yield quarantined(place, err);
  }
}
