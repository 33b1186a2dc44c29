/**
 * The OK-VQA sample mirror: the four official single-file zips in the VQA layout with OK-VQA's
 * differences (recalled from the release, not checked against a real file): a `question_types`
 * table of knowledge categories, answers with `raw_answer`, five annotators whose answers are
 * listed twice to make the ten the VQA metric expects, an annotation-level `confidence`, and
 * question ids that are the image id with one more digit.
 */
import path from 'node:path';
import { humanAnswers, type HumanAnswer } from '../../sample/human-answers.ts';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import { cocoSampleSubset } from '../coco/sample-subset.ts';
import { cocoScene, type CocoImage } from '../coco/scenes.ts';
import type { SampleMaker } from '../types.ts';
import type { VqaSplitFiles } from '../vqav2/files.ts';
import { OKVQA_FILES } from './files.ts';
import { knowledgeQuestion, rawAnswer, type KnowledgeQuestion } from './sample-questions.ts';

/** Questions per split at scale 1, one per image as in OK-VQA. */
const QUESTIONS = { train: 40, val: 16 } as const;

const QUESTION_TYPES = {
  one: 'Vehicles and Transportation',
  two: 'Brands, Companies and Products',
  three: 'Objects, Material and Clothing',
  four: 'Sports and Recreation',
  five: 'Cooking and Food',
  six: 'Geography, History, Language and Culture',
  seven: 'People and Everyday life',
  eight: 'Plants and Animals',
  nine: 'Science and Technology',
  ten: 'Weather and Climate',
  other: 'Other',
};

interface SampleItem {
  image: CocoImage;
  questionId: number;
  question: KnowledgeQuestion;
  answers: (HumanAnswer & { raw: string })[];
}

function sampleItems(split: 'train' | 'val', scale: number, seed: number): SampleItem[] {
  const folder = split === 'train' ? 'train2014' : 'val2014';
  // Offset so OK-VQA asks about partly different images than VQAv2.
  return cocoSampleSubset(folder, QUESTIONS[split], scale, 3).map((image, j) => {
    const next = rng(hash32(seed, 0x0c7a, image.id));
    const question = knowledgeQuestion(cocoScene(image.id), j + hash32(seed, image.id));
    const answers = humanAnswers(question.answer, question.nearMisses, next, 5).map((a) => ({ ...a, raw: rawAnswer(a.answer, next) }));
    return { image, questionId: image.id * 10 + (hash32(seed, 0x1d, image.id) % 10), question, answers };
  });
}

function questionsJson(items: SampleItem[], subtype: string): unknown {
  return {
    license: { url: 'http://creativecommons.org/licenses/by/4.0/', name: 'Creative Commons Attribution 4.0 International License' },
    data_subtype: subtype,
    question_types: QUESTION_TYPES,
    questions: items.map(({ image, question, questionId }) => ({ image_id: image.id, question: question.question, question_id: questionId })),
    info: { description: 'This is v1.0 of the OK-VQA dataset.', url: 'http://okvqa.allenai.org', version: '1.0', year: 2019, contributor: 'OK-VQA Team', date_created: '2019-05-10' },
    task_type: 'Open-Ended',
    data_type: 'mscoco',
  };
}

function annotationsJson(items: SampleItem[], subtype: string): unknown {
  return {
    license: { url: 'http://creativecommons.org/licenses/by/4.0/', name: 'Creative Commons Attribution 4.0 International License' },
    data_subtype: subtype,
    annotations: items.map(({ image, question, questionId, answers }) => ({
      image_id: image.id,
      answer_type: 'other',
      question_type: question.questionType,
      question_id: questionId,
      // Five annotators, each answer listed twice: OK-VQA's way of fitting the ten-answer VQA metric.
      answers: [...answers, ...answers].map((a, i) => ({ answer_id: i + 1, raw_answer: a.raw, answer_confidence: a.confidence, answer: a.answer })),
      confidence: 3,
    })),
    info: { description: 'This is v1.0 of the OK-VQA dataset.', url: 'http://okvqa.allenai.org', version: '1.0', year: 2019, contributor: 'OK-VQA Team', date_created: '2019-05-10' },
    data_type: 'mscoco',
  };
}

async function writeSplit(outDir: string, files: VqaSplitFiles, items: SampleItem[]): Promise<void> {
  const subtype = `${files.split}2014`;
  await writeZip(path.join(outDir, files.questions.archive!), [{ name: files.questions.member, data: jsonBytes(questionsJson(items, subtype)) }]);
  await writeZip(path.join(outDir, files.annotations.archive!), [{ name: files.annotations.member, data: jsonBytes(annotationsJson(items, subtype)) }]);
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  for (const files of OKVQA_FILES) await writeSplit(outDir, files, sampleItems(files.split, scale, seed));
};
