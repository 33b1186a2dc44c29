/**
 * Which sample images a COCO-based sample annotates: `perScale` images per unit of scale, spread
 * evenly over the folder's sample images rather than the first ones, so every source sees a
 * mix of scenes and the sources overlap on some images as the real datasets do.
 */
import { cocoSampleImages, type CocoFolder, type CocoImage } from './scenes.ts';

export function cocoSampleSubset(folder: CocoFolder, perScale: number, scale: number, offset = 0): CocoImage[] {
  const pool = cocoSampleImages(scale).filter((image) => image.folder === folder);
  const wanted = perScale * scale;
  if (wanted > pool.length) throw new Error(`${wanted} ${folder} sample images wanted, the COCO sample has ${pool.length}`);
  return Array.from({ length: wanted }, (_, j) => pool[(Math.floor((j * pool.length) / wanted) + offset) % pool.length]);
}
