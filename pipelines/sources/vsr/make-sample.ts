/**
 * The VSR sample mirror: data/splits/zeroshot/test.jsonl with statements about the COCO sample
 * images (every third one), about half true; the images themselves are the coco source's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cocoSampleImages, cocoScene, type CocoImage } from '../coco/scenes.ts';
import { hash32 } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { vsrStatement, type VsrStatement } from './statements.ts';
import { TEST_FILE } from './spec.ts';

export interface VsrSampleLine extends VsrStatement {
  image: CocoImage;
}

/** COCO 2017 file name of a COCO id, as VSR writes it. */
export const coco2017Name = (id: number) => `${String(id).padStart(12, '0')}.jpg`;

export function vsrSampleLines(scale: number, seed: number): VsrSampleLine[] {
  return cocoSampleImages(scale).filter((_, i) => i % 3 === 0)
    .map((image, k) => ({ image, ...vsrStatement(cocoScene(image.id), hash32(seed, 0x5a, k) % 2 === 0) }));
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const lines = vsrSampleLines(scale, seed).map(({ image, caption, label, relation }, k) => JSON.stringify({
    image: coco2017Name(image.id),
    image_link: `http://images.cocodataset.org/${image.folder === 'train2014' ? 'train2017' : 'val2017'}/${coco2017Name(image.id)}`,
    caption,
    label,
    relation,
    annotator_id: hash32(seed, 0x5a, k, 1) % 40,
    vote_true_validator_id: label ? '[1, 5]' : '[]',
    vote_false_validator_id: label ? '[]' : '[2, 9]',
  }));
  const file = path.join(outDir, TEST_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
};
