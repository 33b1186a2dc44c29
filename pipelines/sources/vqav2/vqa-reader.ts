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
 * Both files stream side by side: questions are read just ahead of the annotations that claim them
 * (question-join.ts), so neither file is held whole, and the first records come at once.
 */
import type { RawAccess } from '../../raw/access.ts';
import { type JsonMember, jsonMemberBatches } from '../../util/json-stream.ts';
import { answerShares, mostFrequent } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, objList, str, type JsonObject } from '../common/fields.ts';
import { cocoImageIndex } from '../coco/images.ts';
import type { JsonStreamInput } from '../common/json-input.ts';
import { quarantined, quarantinedAll, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, MediaRef } from '../types.ts';
import { QuestionJoin } from './question-join.ts';

export interface VqaDatasets {
  source: string;
  vqa: string;
  qg: string;
}

export interface VqaQuestion {
  questionId: number;
  question: string;
  answers: string[];
  consensus: string;
  /** `meta` of the VQA record, as JSON: image_id, then facts such as question_type and answer_type. */
  meta: string;
}

export type CocoImages = ReadonlyMap<number, MediaRef>;

const placesFor = (names: VqaDatasets, split: string, sourceFile: string, sourceIndex: number): RecordPlace[] =>
  [names.vqa, names.qg].map((dataset) => ({ dataset, split, sourceFile, sourceIndex }));

export function cocoImage(images: CocoImages, imageId: number): MediaRef {
  const media = images.get(imageId);
  if (!media) throw new BadRecord('unknown-image', `COCO image ${imageId} is in no COCO image archive under raw/coco`);
  return media;
}

export async function cocoMedia(raw: RawAccess, imageId: number): Promise<MediaRef> {
  return cocoImage(await cocoImageIndex(raw), imageId);
}

/** The VQA record and its question-generation twin. */
export function vqaPair(names: VqaDatasets, place: RecordPlace, q: VqaQuestion, media: MediaRef): AdapterOutput[] {
  const { split, sourceFile, sourceIndex } = place;
  const id = `${names.vqa}/${split}/${q.questionId}`;
  return [
    sourceRecord({
      dataset: names.vqa, split, sourceFile, sourceIndex, id, question: q.question, answers: q.answers, answerWeights: answerShares(q.answers), meta: q.meta, media: [media],
    }),
    sourceRecord({
      dataset: names.qg,
      split,
      sourceFile,
      sourceIndex,
      id: `${names.qg}/${split}/${q.questionId}`,
      question: q.question,
      answers: [q.consensus],
      answerWeights: [1],
      // The VQA record's meta with the parent's id in front.
      meta: `{"parent":${jsonText(id)},${q.meta.slice(1)}`,
      media: [media],
    }),
  ];
}

/** Answer strings of a VQA annotation in annotator order; a bad entry names its position. */
function annotationAnswers(annotation: JsonObject): string[] {
  const entries = objList(annotation, 'answers');
  const answers: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    try {
      answers.push(str(entries[i], 'answer'));
    } catch (err) {
      if (err instanceof BadRecord) throw new BadRecord(err.reason, `"answers"[${i}]: ${err.detail}`);
      throw err;
    }
  }
  return answers;
}

const META_FIELDS = ['question_type', 'answer_type', 'multiple_choice_answer', 'confidence'];

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(value), without its cost for the plain strings that are nearly all of them. */
const jsonText = (value: unknown) => (typeof value === 'string' && !NEEDS_ESCAPE.test(value) ? `"${value}"` : JSON.stringify(value));

/** JSON.stringify({ image_id, ...the annotation's META_FIELDS }) at half the cost: it runs for every annotation. */
function recordMeta(imageId: number, annotation: JsonObject): string {
  let json = `{"image_id":${imageId}`;
  for (const key of META_FIELDS) {
    const value = annotation[key];
    if (value !== undefined) json += `,"${key}":${jsonText(value)}`;
  }
  return `${json}}`;
}

interface QuestionEntry {
  value: JsonObject;
  index: number;
}

/** The questions file, read a batch at a time as annotations ask for questions not read yet. */
class QuestionReader {
  readonly join = new QuestionJoin<QuestionEntry>();
  private bad: AdapterOutput[] = [];
  private readonly batches: AsyncGenerator<JsonMember[]>;
  private ended = false;

  constructor(private readonly input: JsonStreamInput, private readonly names: VqaDatasets, private readonly split: string) {
    this.batches = jsonMemberBatches(input.stream, ['questions'], `${names.source}: ${input.label}`);
  }

  /** Whether `id` can be claimed without reading on: claimable now, or the file is read to its end. */
  ready(id: number): boolean {
    return this.ended || this.join.has(id);
  }

  /** Reads on until `id` can be claimed or the file ends. */
  async readUntil(id: number): Promise<void> {
    while (!this.ready(id)) await this.readBatch();
  }

  async readToEnd(): Promise<void> {
    while (!this.ended) await this.readBatch();
  }

  /** Quarantines of the bad questions read since the last call. */
  takeBad(): AdapterOutput[] {
    const bad = this.bad;
    this.bad = [];
    return bad;
  }

  close(): Promise<unknown> {
    return this.batches.return(undefined);
  }

  private async readBatch(): Promise<void> {
    const next = await this.batches.next();
    if (next.done) {
      this.ended = true;
      return;
    }
    for (const { key, value } of next.value) {
      const index = key as number;
      try {
        const question = asObject(value, 'question');
        this.join.add(int(question, 'question_id'), { value: question, index });
      } catch (err) {
        this.bad.push(...quarantinedAll(placesFor(this.names, this.split, this.input.file, index), err));
      }
    }
  }
}

/** The annotation's question_id when it has one; a bad one is reported by the conversion. */
const claimedId = (value: unknown): number | undefined => {
  const id = (value as { question_id?: unknown } | null)?.question_id;
  return Number.isInteger(id) ? (id as number) : undefined;
};

/** The pair of records of one annotation; throws BadRecord for a record to quarantine. */
function annotationPair(
  names: VqaDatasets, place: RecordPlace, value: unknown, questions: QuestionJoin<QuestionEntry>, questionsLabel: string, images: CocoImages,
): AdapterOutput[] {
  const annotation = asObject(value, 'annotation');
  const questionId = int(annotation, 'question_id');
  // Claimed first, so a question whose annotation is bad is reported once, not also as unannotated.
  const entry = questions.claim(questionId);
  if (!entry) throw new BadRecord('unknown-question', `question_id ${questionId} is not in ${questionsLabel}`);
  const imageId = int(annotation, 'image_id');
  const answers = annotationAnswers(annotation);
  const question = str(entry.value, 'question');
  const askedAbout = int(entry.value, 'image_id');
  if (askedAbout !== imageId) {
    throw new BadRecord('bad-value', `question ${questionId} is about image ${askedAbout} but its annotation names image ${imageId}`);
  }
  const consensus = annotation.multiple_choice_answer === undefined ? mostFrequent(answers) : str(annotation, 'multiple_choice_answer');
  const q: VqaQuestion = { questionId, question, answers, consensus, meta: recordMeta(imageId, annotation) };
  return vqaPair(names, place, q, cocoImage(images, imageId));
}

/**
 * Converts every member of the container at `path` into its pair of records, a batch at a time as
 * jsonMemberBatches parses them; a member that throws BadRecord quarantines both of its records.
 * `prepare`, when it returns a promise, is waited for before its member is converted.
 */
export async function* pairBatches(
  names: VqaDatasets, split: string, input: JsonStreamInput, path: string[], convert: (place: RecordPlace, value: unknown) => AdapterOutput[],
  prepare?: (value: unknown) => Promise<void> | undefined,
): AsyncGenerator<AdapterOutput[]> {
  const sourceFile = input.file;
  for await (const batch of jsonMemberBatches(input.stream, path, `${names.source}: ${input.label}`)) {
    const outputs: AdapterOutput[] = [];
    for (const { key, value } of batch) {
      const sourceIndex = key as number;
      const waiting = prepare?.(value);
      if (waiting) await waiting;
      let pair: AdapterOutput[];
      try {
        pair = convert({ dataset: names.vqa, split, sourceFile, sourceIndex }, value);
      } catch (err) {
        pair = quarantinedAll(placesFor(names, split, sourceFile, sourceIndex), err);
      }
      for (const out of pair) outputs.push(out);
    }
    yield outputs;
  }
}

/** Yields the records of one split a batch at a time, as the annotations file is read. */
export async function* readOfficialVqa(
  raw: RawAccess, names: VqaDatasets, split: string, questionsInput: JsonStreamInput, annotationsInput: JsonStreamInput,
): AsyncGenerator<AdapterOutput[]> {
  const images = await cocoImageIndex(raw);
  const questions = new QuestionReader(questionsInput, names, split);
  const readAhead = (value: unknown) => {
    const id = claimedId(value);
    return id === undefined || questions.ready(id) ? undefined : questions.readUntil(id);
  };
  try {
    for await (const outputs of pairBatches(names, split, annotationsInput, ['annotations'],
      (place, value) => annotationPair(names, place, value, questions.join, questionsInput.label, images), readAhead)) {
      const bad = questions.takeBad();
      if (bad.length > 0) outputs.push(...bad);
      yield outputs;
    }
    await questions.readToEnd();
  } finally {
    await questions.close();
  }
  const missing = questions.takeBad();
  for (const [questionId, { index }] of questions.join.unclaimed()) {
    const err = new BadRecord('missing-annotation', `question ${questionId} has no annotation in ${annotationsInput.label}`);
    for (const place of placesFor(names, split, questionsInput.file, index)) missing.push(quarantined(place, err));
  }
  yield missing;
}
