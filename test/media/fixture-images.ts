/**
 * Real images for the media tests, encoded by sharp. Photo-like images are smooth random colour
 * fields (an 8x6 random grid upscaled): they have the broad low-frequency structure of photos,
 * which pHash needs (a flat background with a few shapes puts most DCT terms near the median).
 */
import sharp from 'sharp';
import { randomScene, renderScene } from '../../pipelines/sample/scene.ts';
import { rng } from '../../pipelines/util/random.ts';

export async function photoJpeg(seed: number, width = 640, height = 480): Promise<Buffer> {
  const next = rng(seed);
  const grid = Buffer.from(Array.from({ length: 8 * 6 * 3 }, () => Math.floor(next() * 256)));
  return sharp(grid, { raw: { width: 8, height: 6, channels: 3 } }).resize(width, height, { fit: 'fill', kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer();
}

/** A 112x112 PNG scene, icon-sized. */
export function scenePng(seed: number): Promise<Buffer> {
  return renderScene(randomScene(rng(seed)), { cell: 16, format: 'png' });
}

export function withOrientation(jpeg: Buffer, orientation: number): Promise<Buffer> {
  return sharp(jpeg).withMetadata({ orientation }).jpeg().toBuffer();
}
