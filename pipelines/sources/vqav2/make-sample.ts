/**
 * The VQAv2 sample mirror: the four official zips (questions and annotations for train2014 and
 * val2014) in the exact official layout, asking colour, count, shape, position and yes/no
 * questions about the COCO sample images, with ten simulated annotators per question.
 */
import path from 'node:path';
import { humanAnswers, type HumanAnswer } from '../../sample/human-answers.ts';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import { mostFrequent } from '../common/answer-shares.ts';
import { cocoSampleSubset } from '../coco/sample-subset.ts';
import { cocoScene, type CocoImage } from '../coco/scenes.ts';
import type { SampleMaker } from '../types.ts';
import { VQAV2_FILES, type VqaSplitFiles } from './files.ts';
import { VQA_KINDS, vqaQuestion, type SceneQuestion } from './sample-questions.ts';

/** Sample images per split at scale 1 and questions per image: 40 train and 16 val questions. */
const IMAGES = { train: 20, val: 8 } as const;
const QUESTIONS_PER_IMAGE = 2;

interface SampleItem {
  image: CocoImage;
  questionId: number;
  question: SceneQuestion;
  answers: HumanAnswer[];
}

const INFO = {
  description: 'This is v2.0 of the VQA dataset.',
  url: 'http://visualqa.org',
  version: '2.0',
  year: 2017,
  contributor: 'VQA Team',
  date_created: '2017-04-26 17:07:13',
};
const LICENSE = { url: 'http://creativecommons.org/licenses/by/4.0/', name: 'Creative Commons Attribution 4.0 International License' };

function sampleItems(split: 'train' | 'val', scale: number, seed: number): SampleItem[] {
  const folder = split === 'train' ? 'train2014' : 'val2014';
  return cocoSampleSubset(folder, IMAGES[split], scale).flatMap((image, j) =>
    Array.from({ length: QUESTIONS_PER_IMAGE }, (_, k) => {
      const next = rng(hash32(seed, 0x7a2, image.id, k));
      const question = vqaQuestion(cocoScene(image.id), VQA_KINDS[(j * QUESTIONS_PER_IMAGE + k) % VQA_KINDS.length], next);
      // VQA question ids are the image id followed by three digits.
      return { image, questionId: image.id * 1000 + k, question, answers: humanAnswers(question.answer, question.nearMisses, next) };
    }));
}

function questionsJson(items: SampleItem[], subtype: string): unknown {
  return {
    info: INFO,
    task_type: 'Open-Ended',
    data_type: 'mscoco',
    data_subtype: subtype,
    questions: items.map(({ image, question, questionId }) => ({ image_id: image.id, question: question.question, question_id: questionId })),
    license: LICENSE,
  };
}

function annotationsJson(items: SampleItem[], subtype: string): unknown {
  return {
    info: INFO,
    license: LICENSE,
    data_subtype: subtype,
    annotations: items.map(({ image, question, questionId, answers }) => ({
      question_type: question.questionType,
      multiple_choice_answer: mostFrequent(answers.map((a) => a.answer)),
      answers: answers.map((a, i) => ({ answer: a.answer, answer_confidence: a.confidence, answer_id: i + 1 })),
      image_id: image.id,
      answer_type: question.answerType,
      question_id: questionId,
    })),
    data_type: 'mscoco',
  };
}

async function writeSplit(outDir: string, files: VqaSplitFiles, items: SampleItem[]): Promise<void> {
  const subtype = `${files.split}2014`;
  await writeZip(path.join(outDir, files.questions.archive!), [{ name: files.questions.member, data: jsonBytes(questionsJson(items, subtype)) }]);
  await writeZip(path.join(outDir, files.annotations.archive!), [{ name: files.annotations.member, data: jsonBytes(annotationsJson(items, subtype)) }]);
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  for (const files of VQAV2_FILES) await writeSplit(outDir, files, sampleItems(files.split, scale, seed));
};
