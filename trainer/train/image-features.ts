/**
 * The frozen vision encoder's output for a batch. With caching, each image is encoded once, alone,
 * and kept by its media-store key: sound because the encoder never changes, and encoding images one
 * at a time makes an image's features independent of which batch first showed it, so a resumed run
 * (whose cache starts empty) computes exactly the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import type { InstructBlip } from '../model/instructblip.ts';
import type { ModelBatch } from './batch-tensors.ts';
import { visionTokens } from '../model/vision.ts';
import { frozenImageHidden } from './model.ts';

export class ImageFeatures {
  private readonly cache = new Map<string, Float32Array>();

  constructor(private readonly model: InstructBlip, readonly caching: boolean) {}

  get cachedImages(): number {
    return this.cache.size;
  }

  /** True once the image's features are cached; they stay cached, so a stream may skip its pixels. */
  has(key: string): boolean {
    return this.caching && this.cache.has(key);
  }

  /** [B, N, D] for single images, [B, F, N, D] when an example has several frames. */
  forBatch(batch: ModelBatch): tf.Tensor {
    const [b, frames, ...image] = batch.pixelValues.shape as [number, number, number, number, number];
    if (image[1] !== this.model.cfg.vision.imageSize) throw new Error(`pixel batch of size ${image[1]} where the vision encoder takes ${this.model.cfg.vision.imageSize}`);
    if (!this.caching) {
      return tf.tidy(() => {
        const pixels = tf.tensor(batch.pixelValues.data, batch.pixelValues.shape);
        return frozenImageHidden(this.model, frames === 1 ? pixels.reshape([b, ...image]) : pixels);
      });
    }
    const plane = image.reduce((x, y) => x * y, 1);
    const rows: Float32Array[] = [];
    for (let i = 0; i < b; i++) {
      const keys = batch.provenance[i]!.images;
      for (let f = 0; f < frames; f++) {
        // Frames past an example's count are zero padding: encode them too, under no key.
        const key = f < keys.length ? keys[f]! : undefined;
        if (key !== undefined && batch.omittedImages?.has(key) && !this.cache.has(key)) {
          throw new Error(`image ${key} (dataset ${batch.provenance[i]!.dataset}, record ${batch.provenance[i]!.recordId}) came without pixels as cached, but its features are not in the cache`);
        }
        rows.push(this.encode(key, batch.pixelValues.data.subarray((i * frames + f) * plane, (i * frames + f + 1) * plane)));
      }
    }
    const tokens = [visionTokens(this.model.cfg.vision), this.model.cfg.vision.hiddenSize];
    const data = new Float32Array(rows.length * rows[0]!.length);
    rows.forEach((row, i) => data.set(row, i * row.length));
    return tf.tensor(data, frames === 1 ? [b, ...tokens] : [b, frames, ...tokens]);
  }

  /** One image's features [tokens x width], flat; `pixels` are its normalized [3, S, S] planes. */
  encode(key: string | undefined, pixels: Float32Array): Float32Array {
    const cached = key === undefined ? undefined : this.cache.get(key);
    if (cached !== undefined) return cached;
    const size = this.model.cfg.vision.imageSize;
    const hidden = tf.tidy(() => frozenImageHidden(this.model, tf.tensor(pixels, [1, 3, size, size])));
    const values = hidden.dataSync() as Float32Array;
    hidden.dispose();
    if (key !== undefined) this.cache.set(key, values);
    return values;
  }
}
