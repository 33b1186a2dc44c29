/**
 * VizWiz sample mirror: Annotations.zip holding val.json (the official array of questions with
 * ten answers each) and val.zip holding the photos, val/VizWiz_val_%08d.jpg.
 */
import path from 'node:path';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { renderScene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hashString, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { VIZWIZ_KINDS, vizwizQuestion, type VizwizQuestion } from './questions.ts';

const BACKGROUND = sampleBackground('vizwiz');

export const vizwizImageName = (index: number) => `VizWiz_val_${String(index).padStart(8, '0')}.jpg`;

/** 30 questions at scale 1, six of each kind, one photo per question as in the real set. */
export function vizwizSampleQuestions(scale: number, seed: number): VizwizQuestion[] {
  return Array.from({ length: 30 * scale }, (_, i) =>
    vizwizQuestion(VIZWIZ_KINDS[i % VIZWIZ_KINDS.length], rng(hashString(`vizwiz:${seed}:${i}`))));
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const questions = vizwizSampleQuestions(scale, seed);
  const val = questions.map((q, i) => ({
    image: vizwizImageName(i),
    question: q.question,
    answers: q.answers,
    answer_type: q.answer_type,
    answerable: q.answerable,
  }));
  await writeZip(path.join(outDir, 'Annotations.zip'), [{ name: 'val.json', data: jsonBytes(val) }]);
  const images = await Promise.all(questions.map(async (q, i) => ({ name: `val/${vizwizImageName(i)}`, data: await renderScene(q.scene, { background: BACKGROUND }) })));
  await writeZip(path.join(outDir, 'val.zip'), images);
};
