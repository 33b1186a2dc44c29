/**
 * Pixel values as the vision encoder takes them (InstructBLIP's image processor): RGB resized to
 * size x size, scaled to [0, 1], normalized per channel with the CLIP mean and std, channels first.
 */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

/**
 * (v / 255 - mean) / std for every byte value v, one table per channel, in float32 as the model
 * sees it. A lookup gives exactly the double-precision result rounded once, which a float
 * multiply-add (v * scale + offset) would not for every v.
 */
const [RED, GREEN, BLUE] = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v / 255 - CLIP_MEAN[c]) / CLIP_STD[c]));

/** Interleaved RGB bytes (height x width x 3) to normalized planes [3, height, width] written into `out` from element `at`. */
export function normalizeRgbInto(rgb: Uint8Array, pixels: number, out: Float32Array, at: number): void {
  if (rgb.length !== pixels * 3) throw new RangeError(`expected ${pixels * 3} RGB bytes, got ${rgb.length}`);
  if (at < 0 || at + pixels * 3 > out.length) throw new RangeError(`planes of ${pixels * 3} values at ${at} do not fit an output of ${out.length}`);
  const green = at + pixels;
  const blue = at + 2 * pixels;
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[at + i] = RED[rgb[j]];
    out[green + i] = GREEN[rgb[j + 1]];
    out[blue + i] = BLUE[rgb[j + 2]];
  }
}

/** Interleaved RGB bytes (height x width x 3) to new normalized planes [3, height, width]. */
export function normalizeRgb(rgb: Uint8Array, pixels: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(pixels * 3);
  normalizeRgbInto(rgb, pixels, out, 0);
  return out;
}
