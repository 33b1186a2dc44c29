/**
 * Decodes an image once and derives what the media store keeps: the image re-encoded at a bounded
 * size (JPEG; PNG for small lossless inputs such as icons and the sample scenes, where JPEG would
 * smear flat colours), its size after EXIF orientation, and its pHash.
 */
import sharp, { type OutputInfo } from 'sharp';
import { grayThumbnail, phashFromGray } from './phash.ts';

export interface EncodeOptions {
  /** Longest side after resizing; smaller images are not enlarged. */
  maxSide: number;
  jpegQuality: number;
}

export const DEFAULT_ENCODE_OPTIONS: EncodeOptions = { maxSide: 448, jpegQuality: 90 };

/** Lossless inputs at most this many pixels (after resizing) stay lossless. */
const PNG_MAX_PIXELS = 256 * 256;
const LOSSLESS_FORMATS = new Set(['png', 'gif', 'bmp', 'tiff']);

export type StoredFormat = 'jpeg' | 'png';

export interface EncodedImage {
  bytes: Buffer;
  format: StoredFormat;
  width: number;
  height: number;
  phash: string;
}

/** The image could not be decoded; `message` is sharp's (libvips') explanation. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
}

const WHITE = { r: 255, g: 255, b: 255 };

export async function encodeImage(input: Uint8Array, options: EncodeOptions = DEFAULT_ENCODE_OPTIONS): Promise<EncodedImage> {
  let format: string | undefined;
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    const image = sharp(input, { failOn: 'truncated' });
    format = (await image.metadata()).format;
    decoded = await image
      .rotate()
      .resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageDecodeError((err as Error).message);
  }
  const { width, height, channels } = decoded.info;
  const raw = { raw: { width, height, channels } } as const;
  const keepLossless = format !== undefined && LOSSLESS_FORMATS.has(format) && width * height <= PNG_MAX_PIXELS;
  const bytes = keepLossless
    ? await sharp(decoded.data, raw).png({ compressionLevel: 9 }).toBuffer()
    : await sharp(decoded.data, raw).flatten({ background: WHITE }).jpeg({ quality: options.jpegQuality }).toBuffer();
  return { bytes, format: keepLossless ? 'png' : 'jpeg', width, height, phash: phashFromGray(grayThumbnail(decoded.data, width, height, channels)) };
}
