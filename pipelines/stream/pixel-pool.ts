/** Image decoding for the training stream on a pool of worker threads (pipelines/media/worker-pool.ts). */
import 'sharp'; // keeps libvips loaded in the main thread; workers unloading it can crash the process (sharp #2263)
import { defaultPoolSize, WorkerPool } from '../media/worker-pool.ts';
import type { PixelTask } from './pixel-worker.ts';

export class PixelPool {
  private readonly pool: WorkerPool<PixelTask, Float32Array>;

  constructor(size = defaultPoolSize()) {
    this.pool = new WorkerPool(new URL('./pixel-worker.ts', import.meta.url), size);
  }

  /** Worker threads. */
  get size(): number {
    return this.pool.size;
  }

  /** Normalized planes [3, size, size]. The bytes move to the worker (copied first if they share a buffer). */
  decode(bytes: Uint8Array, size: number): Promise<Float32Array> {
    const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const owned = whole ? new Uint8Array(bytes.buffer as ArrayBuffer) : new Uint8Array(bytes);
    return this.pool.run({ bytes: owned, size }, [owned.buffer]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
