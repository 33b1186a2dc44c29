/**
 * Stored image bytes to normalized pixel planes: decode, flatten transparency onto white, force
 * sRGB (grayscale JPEGs decode to one channel), resize to size x size ignoring the aspect ratio
 * with a bicubic kernel (as LAVIS' Resize((size, size), BICUBIC) does), normalize.
 */
import sharp from 'sharp';
import { normalizeRgb } from './pixels.ts';

const WHITE = { r: 255, g: 255, b: 255 };

/** Interleaved RGB bytes, size x size x 3. */
export async function decodeRgb(bytes: Uint8Array, size: number): Promise<Buffer> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated' })
    .flatten({ background: WHITE })
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size || info.height !== size) {
    throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`);
  }
  return data;
}

export async function decodePixels(bytes: Uint8Array, size: number): Promise<Float32Array<ArrayBuffer>> {
  return normalizeRgb(await decodeRgb(bytes, size), size * size);
}
