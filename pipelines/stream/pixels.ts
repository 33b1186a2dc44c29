/**
 * Pixel values as the vision encoder takes them (InstructBLIP's image processor): RGB resized to
 * size x size, scaled to [0, 1], normalized per channel with the CLIP mean and std, channels first.
 */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

/** (v / 255 - mean) / std for every byte value v of each channel, in float32 as the model sees it. */
const NORMALIZED = (() => {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - CLIP_MEAN[c]) / CLIP_STD[c];
  return table;
})();

/** Interleaved RGB bytes (height x width x 3) to normalized planes [3, height, width]. */
export function normalizeRgb(rgb: Uint8Array, pixels: number): Float32Array<ArrayBuffer> {
  if (rgb.length !== pixels * 3) throw new RangeError(`expected ${pixels * 3} RGB bytes, got ${rgb.length}`);
  const out = new Float32Array(pixels * 3);
  const green = pixels;
  const blue = 2 * pixels;
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[i] = NORMALIZED[rgb[j]];
    out[green + i] = NORMALIZED[256 + rgb[j + 1]];
    out[blue + i] = NORMALIZED[512 + rgb[j + 2]];
  }
  return out;
}
