/** Image decoding for the training stream on a pool of worker threads (pipelines/media/worker-pool.ts). */
import 'sharp'; // keeps libvips loaded in the main thread; workers unloading it can crash the process (sharp #2263)
import { defaultPoolSize, WorkerPool, WorkerTaskError } from '../media/worker-pool.ts';
import { PixelSlots } from './pixel-slots.ts';
import type { PixelReply, PixelTask } from './pixel-worker.ts';

/**
 * Messages per worker a call of decodeInto is split into: several images share a message (fewer
 * round trips), and two messages each let a worker that finishes early take over the other's rest.
 */
const TASKS_PER_WORKER = 2;
/** A message never needs more slots than there are, whatever one call asks for. */
const MAX_IMAGES_PER_TASK = 8;
/** Images being decoded or waiting for a worker at once: a few batches' worth (19 MB at 224 px). */
const SLOTS = 32;

/** The bytes as the sole view of their own buffer, so they can move to a worker (copied first if they share one). */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? new Uint8Array(bytes.buffer as ArrayBuffer) : new Uint8Array(bytes);
}

export class PixelPool {
  private readonly pool: WorkerPool<PixelTask, PixelReply>;
  /** Output slots by image size. */
  private readonly slots = new Map<number, PixelSlots>();

  constructor(size = defaultPoolSize()) {
    this.pool = new WorkerPool(new URL('./pixel-worker.ts', import.meta.url), size);
  }

  /** Worker threads. */
  get size(): number {
    return this.pool.size;
  }

  /**
   * Decodes `images` into `out`, image i's normalized planes [3, size, size] from element `at[i]`.
   * One promise per image, settled when its planes are in place or with its own error. The bytes
   * move to the workers (their buffers are detached).
   */
  decodeInto(images: readonly Uint8Array[], size: number, out: Float32Array, at: readonly number[]): Promise<void>[] {
    if (at.length !== images.length) throw new RangeError(`${images.length} images but ${at.length} offsets`);
    const plane = 3 * size * size;
    const outside = at.find((start) => !Number.isInteger(start) || start < 0 || start + plane > out.length);
    if (outside !== undefined) throw new RangeError(`planes of ${plane} values at ${outside} do not fit an output of ${out.length}`);
    const perTask = Math.min(MAX_IMAGES_PER_TASK, Math.ceil(images.length / (TASKS_PER_WORKER * this.pool.size)));
    // Shared output with whole planes: the workers write into it directly, no slot and no copy.
    const direct = out.buffer instanceof SharedArrayBuffer && at.every((start) => start % plane === 0);
    const done: Promise<void>[] = [];
    for (let start = 0; start < images.length; start += perTask) {
      const bytes = images.slice(start, start + perTask).map(owned);
      const transfer = [...new Set(bytes.map((b) => b.buffer))];
      const reply = direct
        ? this.pool.run({ images: bytes, size, planes: out as Float32Array<SharedArrayBuffer>, slots: at.slice(start, start + perTask).map((a) => a / plane) }, transfer)
        : this.viaSlots(bytes, size, out, at.slice(start, start + perTask), transfer);
      for (let i = 0; i < bytes.length; i++) {
        done.push(reply.then((errors) => {
          const error = errors[i];
          if (error) throw new WorkerTaskError(error.name, error.message);
        }));
      }
    }
    return done;
  }

  /** Decodes into free slots of the pool's shared area, then copies each image's planes to `out`. */
  private async viaSlots(bytes: Uint8Array<ArrayBuffer>[], size: number, out: Float32Array, at: readonly number[], transfer: ArrayBuffer[]): Promise<PixelReply> {
    const slots = this.slotsFor(size);
    const taken = await slots.take(bytes.length);
    try {
      const errors = await this.pool.run({ images: bytes, size, planes: slots.planes, slots: taken }, transfer);
      taken.forEach((slot, i) => {
        if (!errors[i]) out.set(slots.view(slot), at[i]);
      });
      return errors;
    } finally {
      slots.give(taken);
    }
  }

  /** Normalized planes [3, size, size] of one image. */
  async decode(bytes: Uint8Array, size: number): Promise<Float32Array> {
    const out = new Float32Array(3 * size * size);
    await this.decodeInto([bytes], size, out, [0])[0];
    return out;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private slotsFor(size: number): PixelSlots {
    let slots = this.slots.get(size);
    if (!slots) this.slots.set(size, (slots = new PixelSlots(3 * size * size, SLOTS)));
    return slots;
  }
}
