/** The frames of a batch's examples, read from the media store and decoded on the pixel pool. */
import type { ExampleProvenance, HostTensor } from './batch.ts';
import type { MediaSource } from './media-source.ts';
import type { PixelBuffers } from './pixel-buffers.ts';
import type { PixelPool } from './pixel-pool.ts';

export interface PixelBatch {
  pixelValues: HostTensor<Float32Array>;
  frameCounts: Int32Array;
  /** Media keys left undecoded because the consumer said it has them (their pixels are zeros). */
  omittedImages: ReadonlySet<string>;
}

/** Says which images the consumer needs no pixels for, e.g. a frozen encoder's cached features. */
export type SkipImage = (key: string) => boolean;

/** With `buffers`, the batch's pixel array is taken from them: give it back once the batch is used. */
export async function decodeBatchFrames(
  examples: readonly ExampleProvenance[], media: MediaSource, pool: PixelPool, size: number, skip?: SkipImage, buffers?: PixelBuffers,
): Promise<PixelBatch> {
  const frames = Math.max(1, ...examples.map((e) => e.images.length));
  const plane = 3 * size * size;
  const length = examples.length * frames * plane;
  const { data, reused } = buffers?.take(length) ?? { data: new Float32Array(length), reused: false };
  const omittedImages = new Set<string>();
  const all = examples.flatMap((example, b) => example.images.map((key, f) => ({ example, f, key, at: (b * frames + f) * plane })));
  const wanted = all.filter(({ key }) => {
    const omit = skip?.(key) ?? false;
    if (omit) omittedImages.add(key);
    return !omit;
  });
  const named = ({ example, f, key }: (typeof wanted)[number]) => (err: Error): never => {
    throw new Error(`dataset ${example.dataset}, record ${example.recordId}, frame ${f} (image ${key}): ${err.message}`, { cause: err });
  };
  if (reused) {
    // Planes no image is decoded into (omitted, padding frames) must read as zeros, as in a new array.
    const written = new Set(wanted.map((frame) => frame.at));
    for (let at = 0; at < length; at += plane) if (!written.has(at)) data.fill(0, at, at + plane);
  }
  const bytes = await Promise.all(wanted.map((frame) => media.read(frame.key).catch(named(frame))));
  await Promise.all(pool.decodeInto(bytes, size, data, wanted.map((frame) => frame.at)).map((done, i) => done.catch(named(wanted[i]))));
  return {
    pixelValues: { data, shape: [examples.length, frames, 3, size, size] },
    frameCounts: Int32Array.from(examples, (e) => e.images.length),
    omittedImages,
  };
}
