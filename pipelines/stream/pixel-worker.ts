/** Worker thread: decodes images (pixel-decode.ts) and writes their normalized planes into the pool's shared slots. */
import sharp from 'sharp';
import { decodeRgb } from './pixel-decode.ts';
import { normalizeRgbInto } from './pixels.ts';
import { serveTasks } from '../media/worker-serve.ts';
import type { TaskError } from '../media/worker-pool.ts';

export interface PixelTask {
  images: Uint8Array[];
  size: number;
  /** The pool's slot area (pixel-slots.ts); image i goes to slot slots[i]. */
  planes: Float32Array<SharedArrayBuffer>;
  slots: number[];
}

/** Per image: null once its planes are written, else why it failed (one bad image must not hide which one). */
export type PixelReply = (TaskError | null)[];

// One libvips thread per worker: the pool already runs one worker per core. No operation cache:
// every image is new, so caching would only hold memory.
sharp.concurrency(1);
sharp.cache(false);

serveTasks<PixelTask, PixelReply>(async ({ images, size, planes, slots }) => {
  const plane = 3 * size * size;
  // All of the task's images start at once: one is normalized here while libvips decodes the next.
  const value = await Promise.all(images.map(async (bytes, i): Promise<TaskError | null> => {
    try {
      normalizeRgbInto(await decodeRgb(bytes, size), size * size, planes, slots[i] * plane);
      return null;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      return { name: e.name, message: e.message };
    }
  }));
  return { value };
});
