/** Worker thread: decodes and re-encodes images (encode-image.ts) off the main thread. */
import { type EncodedImage, encodeImage, type EncodeOptions } from './encode-image.ts';
import { serveTasks } from './worker-serve.ts';

export interface ImageTask {
  bytes: Uint8Array;
  options: EncodeOptions;
}

serveTasks<ImageTask, EncodedImage>(async ({ bytes, options }) => {
  const image = await encodeImage(bytes, options);
  const owned = new Uint8Array(image.bytes);
  return { value: { ...image, bytes: Buffer.from(owned.buffer) }, transfer: [owned.buffer] };
});
