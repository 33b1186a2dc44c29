/** Worker thread: decodes and normalizes images (pixel-decode.ts) off the main thread. */
import sharp from 'sharp';
import { decodePixels } from './pixel-decode.ts';
import { serveTasks } from '../media/worker-serve.ts';

export interface PixelTask {
  bytes: Uint8Array;
  size: number;
}

// One libvips thread per worker: the pool already runs one worker per core. No operation cache:
// every image is new, so caching would only hold memory.
sharp.concurrency(1);
sharp.cache(false);

serveTasks<PixelTask, Float32Array>(async ({ bytes, size }) => {
  const pixels = await decodePixels(bytes, size);
  return { value: pixels, transfer: [pixels.buffer] };
});
