/** Reads back the scene palette (pipelines/sample/scene.ts) from decoded video frames, for video tests. */
import sharp from 'sharp';
import { COLOR_NAMES, COLORS, type ColorName } from '../../pipelines/sample/scene.ts';

export const BACKGROUND = [24, 24, 32] as const;

/** The palette colour nearest the pixel at (x, y), or `background`; lossy codecs shift colours a little. */
export async function paletteColorAt(png: Buffer, x: number, y: number): Promise<ColorName | 'background'> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  const pixel = [data[at], data[at + 1], data[at + 2]];
  const distance = (rgb: readonly number[]) => rgb.reduce((sum, v, i) => sum + (v - pixel[i]) ** 2, 0);
  const best = COLOR_NAMES.reduce((a, b) => (distance(COLORS[b]) < distance(COLORS[a]) ? b : a));
  return distance(BACKGROUND) < distance(COLORS[best]) ? 'background' : best;
}
