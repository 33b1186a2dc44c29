/** Rows of the content-addressed media store, shards/media/part-NNNNN.arrow. */
import { Binary, Field, Int32, Schema, Utf8 } from 'apache-arrow';
import type { StoredFormat } from './encode-image.ts';

export interface MediaRow {
  /** sha256 of the original file's bytes; a video frame is `<sha256 of the video>#<i>of<n>`. */
  key: string;
  /** The image re-encoded at a bounded size. */
  bytes: Uint8Array;
  format: StoredFormat;
  width: number;
  height: number;
  /** 64-bit DCT perceptual hash, 16 hex digits. */
  phash: string;
}

export const MEDIA_SCHEMA = new Schema([
  new Field('key', new Utf8(), false),
  new Field('bytes', new Binary(), false),
  new Field('format', new Utf8(), false),
  new Field('width', new Int32(), false),
  new Field('height', new Int32(), false),
  new Field('phash', new Utf8(), false),
]);

export const videoFrameKey = (videoSha256: string, index: number, count: number) => `${videoSha256}#${index}of${count}`;
