/**
 * Frozen image features for evaluation batches: bytes from the media store, pixels decoded and
 * CLIP-normalized on the stream's worker pool, each image (or video frame) encoded alone by the
 * vision encoder, ln_vision included, and kept by its media key in a byte-bounded cache (Visual
 * Dialog asks ten questions per image). Encoding alone makes an image's features independent of the
 * batch it came in, so an interrupted evaluation resumes with the same numbers.
 *
 * The no-image baseline replaces every image by a blank one: all-zero normalized pixels, the CLIP
 * mean colour.
 */
import * as tf from '@tensorflow/tfjs';
import type { MediaReader } from '../../pipelines/media/media-reader.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import type { PixelPool } from '../../pipelines/stream/index.ts';
import { LruCache } from '../../pipelines/stream/lru.ts';
import { encodeImages, type InstructBlip } from '../model/instructblip.ts';

export const DEFAULT_FEATURE_CACHE_BYTES = 256 * 1024 * 1024;
const BLANK_KEY = 'blank';

export interface ImageFeatureOptions {
  media: MediaReader;
  pool: PixelPool;
  imageSize: number;
  cacheBytes?: number;
  /** Every image replaced by a blank one (the no-image baseline). */
  blank?: boolean;
}

export class EvalImageFeatures {
  private readonly cache: LruCache<string, Float32Array>;
  private tokenShape: number[] | undefined;

  constructor(private readonly model: InstructBlip, private readonly options: ImageFeatureOptions) {
    this.cache = new LruCache(options.cacheBytes ?? DEFAULT_FEATURE_CACHE_BYTES);
  }

  /** [B, N, D] when every record has one image, [B, F, N, D] for F video frames each. */
  async forRecords(records: readonly InstructRecord[]): Promise<tf.Tensor> {
    const frames = records[0]!.images.length;
    for (const record of records) {
      if (record.images.length === 0) throw new Error(`record ${record.id} has no image; rebuild ${record.dataset}`);
      if (record.images.length !== frames) throw new Error(`records ${records[0]!.id} and ${record.id} have ${frames} and ${record.images.length} frames; batch them apart`);
    }
    const keyOf = (key: string) => (this.options.blank ? BLANK_KEY : key);
    const features = new Map<string, Float32Array>();
    await Promise.all([...new Set(records.flatMap((r) => r.images.map(keyOf)))].map(async (key) => {
      features.set(key, this.cache.get(key) ?? this.encode(key, await this.pixels(key, records)));
    }));
    const tokens = this.tokenShape!;
    const size = tokens[0]! * tokens[1]!;
    const data = new Float32Array(records.length * frames * size);
    records.forEach((record, b) => record.images.forEach((key, f) => data.set(features.get(keyOf(key))!, (b * frames + f) * size)));
    return tf.tensor(data, frames === 1 ? [records.length, ...tokens] : [records.length, frames, ...tokens]);
  }

  private async pixels(key: string, records: readonly InstructRecord[]): Promise<Float32Array> {
    const size = this.options.imageSize;
    if (key === BLANK_KEY) return new Float32Array(3 * size * size);
    try {
      return await this.options.pool.decode((await this.options.media.get(key)).bytes, size);
    } catch (err) {
      const record = records.find((r) => r.images.includes(key))!;
      throw new Error(`record ${record.id}, image ${key}: ${(err as Error).message}`, { cause: err });
    }
  }

  private encode(key: string, pixels: Float32Array): Float32Array {
    const size = this.options.imageSize;
    const hidden = tf.tidy(() => encodeImages(this.model, tf.tensor(pixels, [1, 3, size, size])));
    this.tokenShape ??= hidden.shape.slice(1);
    const values = hidden.dataSync() as Float32Array;
    hidden.dispose();
    this.cache.set(key, values, values.byteLength);
    return values;
  }
}
