/**
 * The TextVQA sample mirror: TextVQA_0.5.1_val.json, TextVQA_Rosetta_OCR_v0.2_val.json (the
 * printed words as OCR tokens, with their boxes) and train_val_images.zip with the images under
 * train_images/, where TextVQA keeps val images too.
 */
import path from 'node:path';
import { GLYPH_HEIGHT, textWidth } from '../../sample/font5x7.ts';
import { writeJson } from '../../sample/json-bytes.ts';
import { renderScene, type Scene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { textvqaImage, type TextvqaImage } from './questions.ts';
import { IMAGES_ZIP, imageMember, OCR_FILE, QUESTIONS_FILE } from './spec.ts';

const BACKGROUND = sampleBackground('textvqa');

/** renderScene's default size, and its text scale for 16-px cells. */
const SIZE = 112;
const TEXT_SCALE = 2;
/** The real val question ids start where train's end. */
const FIRST_QUESTION_ID = 34602;

export interface TextvqaSampleImage extends TextvqaImage {
  imageId: string;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

export function textvqaSampleImages(scale: number, seed: number): TextvqaSampleImage[] {
  return Array.from({ length: 16 * scale }, (_, k) => ({
    imageId: `${hex8(hash32(seed, 0x7e47, k, 1))}${hex8(hash32(seed, 0x7e47, k, 2))}`,
    ...textvqaImage(rng(hash32(seed, 0x7e47, k, 3))),
  }));
}

/** Rosetta's boxes, as fractions of the image, of the centred lines renderScene draws. */
function ocrInfo(scene: Scene) {
  const lines = scene.text ?? [];
  const lineHeight = (GLYPH_HEIGHT + 2) * TEXT_SCALE;
  const top = Math.round(SIZE / 2 - (lines.length * lineHeight) / 2);
  const frac = (x: number) => Math.round((x / SIZE) * 1e4) / 1e4;
  return lines.map((word, i) => {
    const width = textWidth(word) * TEXT_SCALE;
    return {
      word,
      bounding_box: {
        top_left_x: frac((SIZE - width) / 2), top_left_y: frac(top + i * lineHeight),
        width: frac(width), height: frac(GLYPH_HEIGHT * TEXT_SCALE), rotation: 0, roll: 0, pitch: 0, yaw: 0,
      },
    };
  });
}

const questionTokens = (q: string) => q.replace(/[?.,]/g, '').split(/\s+/).filter(Boolean);

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const images = textvqaSampleImages(scale, seed);
  let questionId = FIRST_QUESTION_ID;
  const data = images.flatMap(({ imageId, questions }) => questions.map((q) => ({
    question: q.question,
    image_id: imageId,
    image_classes: ['Poster', 'Sign'],
    // Placeholders in the real URLs' shape; nothing fetches them.
    flickr_original_url: `https://farm1.staticflickr.com/${imageId.slice(0, 4)}/${imageId}_o.jpg`,
    flickr_300k_url: `https://c1.staticflickr.com/1/${imageId.slice(0, 4)}/${imageId}_z.jpg`,
    image_width: SIZE,
    image_height: SIZE,
    answers: q.answers,
    question_tokens: questionTokens(q.question),
    question_id: questionId++,
    set_name: 'val',
  })));
  writeJson(path.join(outDir, QUESTIONS_FILE), { dataset_type: 'val', dataset_name: 'textvqa', dataset_version: '0.5.1', data });
  writeJson(path.join(outDir, OCR_FILE), {
    dataset_type: 'val', dataset_name: 'textvqa', dataset_version: '0.2',
    data: images.map(({ imageId, scene }) => ({ image_id: imageId, set_name: 'val', ocr_tokens: scene.text ?? [], ocr_info: ocrInfo(scene) })),
  });
  await writeZip(path.join(outDir, IMAGES_ZIP), await Promise.all(images.map(async ({ imageId, scene }) => ({
    name: imageMember(imageId), data: await renderScene(scene, { background: BACKGROUND }),
  }))));
};
