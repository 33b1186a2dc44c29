/** Image encoding on a pool of worker threads sized to the cores. */
import 'sharp'; // keeps libvips loaded in the main thread; workers unloading it can crash the process (sharp #2263)
import { DEFAULT_ENCODE_OPTIONS, type EncodedImage, type EncodeOptions, ImageDecodeError } from './encode-image.ts';
import type { ImageTask } from './image-worker.ts';
import { defaultPoolSize, WorkerPool, WorkerTaskError } from './worker-pool.ts';

export class ImagePool {
  private readonly pool: WorkerPool<ImageTask, EncodedImage>;

  constructor(private readonly options: EncodeOptions = DEFAULT_ENCODE_OPTIONS, size = defaultPoolSize()) {
    this.pool = new WorkerPool(new URL('./image-worker.ts', import.meta.url), size);
  }

  /** Rejects with ImageDecodeError (sharp's message) when the bytes are not a readable image. */
  async encode(bytes: Uint8Array): Promise<EncodedImage> {
    const owned = new Uint8Array(bytes);
    try {
      const image = await this.pool.run({ bytes: owned, options: this.options }, [owned.buffer]);
      return { ...image, bytes: Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength) };
    } catch (err) {
      if (err instanceof WorkerTaskError && err.errorName === 'ImageDecodeError') throw new ImageDecodeError(err.message);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
