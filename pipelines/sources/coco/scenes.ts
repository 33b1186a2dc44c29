/**
 * The COCO images of the sample mirror and the scene each one shows. Every COCO-based sample
 * (captions, VQAv2, OK-VQA, A-OKVQA, LLaVA, VSR, Visual Dialog) annotates these same images, so
 * its annotations must come from `cocoScene`.
 */
import { randomScene, type Scene } from '../../sample/scene.ts';
import { rng } from '../../util/random.ts';

export type CocoFolder = 'train2014' | 'val2014';

export interface CocoImage {
  folder: CocoFolder;
  id: number;
  /** Official file name, e.g. COCO_train2014_000000000009.jpg */
  fileName: string;
}

const cocoFileName = (folder: CocoFolder, id: number) => `COCO_${folder}_${String(id).padStart(12, '0')}.jpg`;

/** 48 train2014 and 24 val2014 images at scale 1; ids are spread like real COCO ids. */
export function cocoSampleImages(scale = 1): CocoImage[] {
  const images: CocoImage[] = [];
  const add = (folder: CocoFolder, count: number, base: number) => {
    for (let k = 0; k < count; k++) {
      const id = base + k * 97 + (k % 7) * 13;
      images.push({ folder, id, fileName: cocoFileName(folder, id) });
    }
  };
  add('train2014', 48 * scale, 9);
  add('val2014', 24 * scale, 42);
  return images;
}

export function cocoScene(id: number): Scene {
  return randomScene(rng(0xc0c0 + id));
}

/** Archive that holds an image in the official distribution, and its entry name. */
export function cocoImageLocation(image: CocoImage): { path: string; member: string } {
  return { path: `${image.folder}.zip`, member: `${image.folder}/${image.fileName}` };
}
