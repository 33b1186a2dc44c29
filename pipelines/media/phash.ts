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

/**
 * The 32x32 grayscale image pHash starts from, made from decoded pixels (1-4 channels, 8 bits,
 * alpha over white): luma as PIL's convert('L') weighs it (what imagehash hashes), then each output
 * pixel the mean of the source area it covers. Done here rather than as a libvips pipeline, whose
 * colourspace conversion alone cost a quarter of an image's encoding time.
 */
export function grayThumbnail(pixels: Uint8Array, width: number, height: number, channels: number): Float64Array {
  if (channels < 1 || channels > 4 || pixels.length !== width * height * channels) {
    throw new RangeError(`${pixels.length} bytes are not ${width}x${height} pixels of ${channels} channel(s)`);
  }
  const n = PHASH_INPUT_SIDE;
  const across = areaSpans(width, n);
  const down = areaSpans(height, n);
  const line = new Float64Array(width);
  const rows = new Float64Array(height * n);
  for (let y = 0; y < height; y++) {
    lumaLine(pixels, y * width * channels, width, channels, line);
    spreadLine(line, across, rows, y * n);
  }
  const out = new Float64Array(n * n);
  const column = new Float64Array(height);
  const means = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < height; y++) column[y] = rows[y * n + x];
    spreadLine(column, down, means, 0);
    for (let y = 0; y < n; y++) out[y * n + x] = means[y];
  }
  return out;
}

/** One row's luma, alpha laid over white. */
function lumaLine(pixels: Uint8Array, at: number, width: number, channels: number, line: Float64Array): void {
  if (channels === 3) {
    for (let x = 0, p = at; x < width; x++, p += 3) line[x] = 0.299 * pixels[p] + 0.587 * pixels[p + 1] + 0.114 * pixels[p + 2];
    return;
  }
  for (let x = 0, p = at; x < width; x++, p += channels) {
    const value = channels < 3 ? pixels[p] : 0.299 * pixels[p] + 0.587 * pixels[p + 1] + 0.114 * pixels[p + 2];
    line[x] = channels === 2 || channels === 4 ? 255 + ((value - 255) * pixels[p + channels - 1]) / 255 : value;
  }
}

/**
 * Where each of `to` output pixels lies over `from` source pixels: the whole source pixels
 * [whole, wholeEnd), and the partly covered ones at either end (`head`, `tail`; -1 when none) with
 * the share of them it covers. Spans are `from / to` source pixels long.
 */
interface AreaSpans {
  span: number;
  whole: Int32Array;
  wholeEnd: Int32Array;
  head: Int32Array;
  headShare: Float64Array;
  tail: Int32Array;
  tailShare: Float64Array;
}

function areaSpans(from: number, to: number): AreaSpans {
  const span = from / to;
  const spans: AreaSpans = {
    span, whole: new Int32Array(to), wholeEnd: new Int32Array(to), head: new Int32Array(to), headShare: new Float64Array(to), tail: new Int32Array(to), tailShare: new Float64Array(to),
  };
  for (let out = 0; out < to; out++) {
    const start = out * span;
    const end = start + span;
    const first = Math.floor(start);
    const last = Math.ceil(end) - 1;
    if (first === last) {
      // The output pixel lies inside one source pixel (an image narrower than 32).
      spans.head[out] = first;
      spans.headShare[out] = end - start;
      spans.tail[out] = -1;
      continue;
    }
    const headShare = first + 1 - start;
    const tailShare = end - last;
    spans.head[out] = headShare < 1 ? first : -1;
    spans.headShare[out] = headShare;
    spans.tail[out] = tailShare < 1 ? last : -1;
    spans.tailShare[out] = tailShare;
    spans.whole[out] = headShare < 1 ? first + 1 : first;
    spans.wholeEnd[out] = tailShare < 1 ? last : last + 1;
  }
  return spans;
}

/** Area means of `values` over each output pixel's span, into `out` from `at`. */
function spreadLine(values: Float64Array, spans: AreaSpans, out: Float64Array, at: number): void {
  const n = spans.whole.length;
  for (let o = 0; o < n; o++) {
    let sum = 0;
    for (let i = spans.whole[o]; i < spans.wholeEnd[o]; i++) sum += values[i];
    if (spans.head[o] >= 0) sum += spans.headShare[o] * values[spans.head[o]];
    if (spans.tail[o] >= 0) sum += spans.tailShare[o] * values[spans.tail[o]];
    out[at + o] = sum / spans.span;
  }
}

const POPCOUNT4 = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Bits that differ between two hex hashes of the same length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hashes differ in length: ${a.length} vs ${b.length}`);
  let bits = 0;
  for (let i = 0; i < a.length; i++) bits += POPCOUNT4[parseInt(a[i], 16) ^ parseInt(b[i], 16)];
  return bits;
}
