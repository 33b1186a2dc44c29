/**
 * Stored image bytes to normalized pixel planes: decode, flatten transparency onto white, force
 * sRGB (grayscale JPEGs decode to one channel), resize to size x size ignoring the aspect ratio
 * with a bicubic kernel (as LAVIS' Resize((size, size), BICUBIC) does), normalize.
 */
import sharp from 'sharp';
import { normalizeRgb } from './pixels.ts';

const WHITE = { r: 255, g: 255, b: 255 };

export async function decodePixels(bytes: Uint8Array, size: number): Promise<Float32Array<ArrayBuffer>> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated' })
    .flatten({ background: WHITE })
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size || info.height !== size) {
    throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`);
  }
  return normalizeRgb(data, size * size);
}
