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
/**
 * Lossless inputs by their first bytes: PNG, GIF, BMP, TIFF in either byte order. Sniffed because
 * asking sharp for the format (metadata()) cost ~0.5 ms an image, a pipeline of its own.
 */
const LOSSLESS_SIGNATURES = [[0x89, 0x50, 0x4e, 0x47], [0x47, 0x49, 0x46, 0x38], [0x42, 0x4d], [0x49, 0x49, 0x2a, 0x00], [0x4d, 0x4d, 0x00, 0x2a]];
const isLosslessFormat = (bytes: Uint8Array) => LOSSLESS_SIGNATURES.some((signature) => signature.every((b, i) => bytes[i] === b));

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
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(input, { failOn: 'truncated' })
      .rotate()
      .resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageDecodeError((err as Error).message);
  }
  const { width, height, channels } = decoded.info;
  const raw = { raw: { width, height, channels } } as const;
  const keepLossless = isLosslessFormat(input) && width * height <= PNG_MAX_PIXELS;
  const bytes = keepLossless
    ? await sharp(decoded.data, raw).png({ compressionLevel: 9 }).toBuffer()
    : await sharp(decoded.data, raw).flatten({ background: WHITE }).jpeg({ quality: options.jpegQuality }).toBuffer();
  return { bytes, format: keepLossless ? 'png' : 'jpeg', width, height, phash: phashFromGray(grayThumbnail(decoded.data, width, height, channels)) };
}
