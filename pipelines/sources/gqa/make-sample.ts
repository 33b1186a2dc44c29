/**
 * The GQA sample mirror: questions1.2.zip with testdev_balanced_questions.json (official object
 * keyed by question id, every field of a balanced question) and images.zip with images/<id>.jpg.
 */
import path from 'node:path';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { renderScene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { gqaImage, type GqaImage, type GqaQuestion } from './questions.ts';
import { IMAGES_ZIP, imageMember, QUESTIONS_FILE, QUESTIONS_ZIP } from './spec.ts';

const BACKGROUND = sampleBackground('gqa');

export interface GqaSampleImage extends GqaImage {
  /** Test-dev images have `n`-prefixed ids. */
  imageId: string;
  /** Question ids, as strings like the official keys. */
  questionIds: string[];
}

export function gqaSampleImages(scale: number, seed: number): GqaSampleImage[] {
  return Array.from({ length: 10 * scale }, (_, k) => {
    const image = gqaImage(rng(hash32(seed, 0x6a9, k)));
    return {
      ...image,
      imageId: `n${100000 + (hash32(seed, 0x6a9, k, 1) % 900000)}`,
      questionIds: image.questions.map((_, q) => String(20_000_000 + k * 1000 + q * 7 + (hash32(seed, k, q) % 7))),
    };
  });
}

const semanticStr = (q: GqaQuestion) =>
  q.semantic.map((s) => `${s.operation}: ${s.argument}${s.dependencies.length ? ` [${s.dependencies.join(', ')}]` : ''}`).join('->');

function officialQuestion(imageId: string, qid: string, q: GqaQuestion) {
  return {
    semantic: q.semantic,
    entailed: [],
    equivalent: [qid],
    question: q.question,
    imageId,
    isBalanced: true,
    groups: { global: q.types.semantic === 'attr' ? 'color' : null, local: `${q.types.detailed}_${imageId}` },
    answer: q.answer,
    semanticStr: semanticStr(q),
    annotations: { answer: {}, question: {}, fullAnswer: {} },
    types: q.types,
    fullAnswer: q.fullAnswer,
  };
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const images = gqaSampleImages(scale, seed);
  const questions: Record<string, object> = {};
  for (const image of images) {
    image.questions.forEach((q, i) => { questions[image.questionIds[i]] = officialQuestion(image.imageId, image.questionIds[i], q); });
  }
  await writeZip(path.join(outDir, QUESTIONS_ZIP), [{ name: QUESTIONS_FILE, data: jsonBytes(questions) }]);
  await writeZip(path.join(outDir, IMAGES_ZIP), await Promise.all(images.map(async (image) => ({
    name: imageMember(image.imageId), data: await renderScene(image.scene, { background: BACKGROUND }),
  }))));
};
