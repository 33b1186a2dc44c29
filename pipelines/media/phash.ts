/**
 * The DCT perceptual hash (pHash, as the Python `imagehash.phash` computes it): a 32x32 grayscale
 * image, its 2-D DCT-II, the 8x8 lowest frequencies, one bit per coefficient above their median.
 * Near-duplicate images differ in few bits, which is what the leakage report joins on.
 */

export const PHASH_INPUT_SIDE = 32;
const LOW = 8;

/** cos((2x + 1) u π / 2N) for the 8 lowest frequencies u and the 32 positions x. */
const COSINES: Float64Array = (() => {
  const table = new Float64Array(LOW * PHASH_INPUT_SIDE);
  for (let u = 0; u < LOW; u++) {
    for (let x = 0; x < PHASH_INPUT_SIDE; x++) table[u * PHASH_INPUT_SIDE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_INPUT_SIDE));
  }
  return table;
})();

/** The 8x8 low-frequency block of the 2-D DCT-II of a 32x32 image, row-major (vertical frequency first). */
export function lowFrequencyDct(gray: Uint8Array | Float64Array): Float64Array {
  const n = PHASH_INPUT_SIDE;
  if (gray.length !== n * n) throw new RangeError(`pHash needs ${n}x${n} grayscale pixels, got ${gray.length} values`);
  const rows = new Float64Array(n * LOW);
  for (let y = 0; y < n; y++) {
    for (let v = 0; v < LOW; v++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += gray[y * n + x] * COSINES[v * n + x];
      rows[y * LOW + v] = sum;
    }
  }
  const out = new Float64Array(LOW * LOW);
  for (let u = 0; u < LOW; u++) {
    for (let v = 0; v < LOW; v++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += COSINES[u * n + y] * rows[y * LOW + v];
      out[u * LOW + v] = sum;
    }
  }
  return out;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
}

/** 64-bit pHash as 16 hex digits, first coefficient in the most significant bit. */
export function phashFromGray(gray: Uint8Array | Float64Array): string {
  const dct = lowFrequencyDct(gray);
  const threshold = median(dct);
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let b = 0; b < 4; b++) value = (value << 1) | (dct[nibble * 4 + b] > threshold ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

const POPCOUNT4 = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Bits that differ between two hex hashes of the same length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hashes differ in length: ${a.length} vs ${b.length}`);
  let bits = 0;
  for (let i = 0; i < a.length; i++) bits += POPCOUNT4[parseInt(a[i], 16) ^ parseInt(b[i], 16)];
  return bits;
}
