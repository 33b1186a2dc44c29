/**
 * The pixel pool (shared output, several images per worker message, a lookup-table normalization)
 * against the plain way of doing it: one sharp call per image and the CLIP formula per value.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { PixelPool } from '../../pipelines/stream/pixel-pool.ts';
import { CLIP_MEAN, CLIP_STD } from '../../pipelines/stream/pixels.ts';

const SIZE = 224;
const PLANES = 3 * SIZE * SIZE;
const pool = new PixelPool(2);
after(() => pool.close());

/** A deterministic texture (gradients plus a hash), so every resize tap and every byte value matters. */
function texture(width: number, height: number, channels: number): Buffer {
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const hash = Math.imul(x * 73856093 ^ y * 19349663 ^ c * 83492791, 0x9e3779b1) >>> 24;
        out[(y * width + x) * channels + c] = (x * 3 + y * (c + 1) + (hash >> 2)) & 255;
      }
    }
  }
  return out;
}

const raw = (width: number, height: number, channels: 1 | 3 | 4) => sharp(texture(width, height, channels), { raw: { width, height, channels } });

const SAMPLES: Record<string, () => Promise<Buffer>> = {
  'square JPEG as the media store keeps them (448 px)': () => raw(448, 448, 3).jpeg({ quality: 90 }).toBuffer(),
  'non-square JPEG (640x360)': () => raw(640, 360, 3).jpeg({ quality: 85 }).toBuffer(),
  'grayscale JPEG': () => raw(300, 500, 1).toColourspace('b-w').jpeg().toBuffer(),
  'PNG with alpha': () => raw(200, 150, 4).png().toBuffer(),
  'small PNG, enlarged (40x30)': () => raw(40, 30, 3).png().toBuffer(),
};

/** The straightforward pipeline: decode, flatten onto white, sRGB, bicubic fill to SIZE, then (v / 255 - mean) / std per value, channels first. */
async function reference(bytes: Buffer): Promise<Float32Array> {
  const rgb = await sharp(bytes, { failOn: 'truncated' })
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .resize(SIZE, SIZE, { fit: 'fill', kernel: 'cubic' })
    .raw({ depth: 'uchar' })
    .toBuffer();
  const out = new Float32Array(PLANES);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < SIZE * SIZE; p++) out[c * SIZE * SIZE + p] = (rgb[p * 3 + c] / 255 - CLIP_MEAN[c]) / CLIP_STD[c];
  }
  return out;
}

/** Indices where two arrays differ (bit for bit). */
function differences(actual: Float32Array, expected: Float32Array): number[] {
  assert.equal(actual.length, expected.length);
  const found: number[] = [];
  for (let i = 0; i < actual.length && found.length < 5; i++) if (!Object.is(actual[i], expected[i])) found.push(i);
  return found;
}

test('decodeInto writes exactly the reference pixels, at the requested offsets, several images per message', async () => {
  const names = Object.keys(SAMPLES);
  const images = await Promise.all(names.map((name) => SAMPLES[name]()));
  const expected = await Promise.all(images.map(reference));
  // Each image twice, in slots out of order, so a message covers images of several kinds.
  const order = [...names.keys(), ...names.keys()].reverse();
  const slots = order.map((_, k) => (k * 7) % order.length);
  const out = new Float32Array(new SharedArrayBuffer(order.length * PLANES * 4));
  await Promise.all(pool.decodeInto(order.map((i) => Uint8Array.from(images[i])), SIZE, out, slots.map((s) => s * PLANES)));
  order.forEach((i, k) => {
    const planes = out.subarray(slots[k] * PLANES, (slots[k] + 1) * PLANES);
    assert.deepEqual(differences(planes, expected[i]), [], `${names[i]} in slot ${slots[k]}`);
  });
});

test('decode returns the reference pixels in an unshared array, also for bytes that share a buffer', async () => {
  const [jpeg, png] = await Promise.all([SAMPLES['non-square JPEG (640x360)'](), SAMPLES['PNG with alpha']()]);
  const joined = Buffer.concat([jpeg, png]);
  const pixels = await pool.decode(joined.subarray(jpeg.length), SIZE);
  assert.ok(pixels.buffer instanceof ArrayBuffer);
  assert.deepEqual(differences(pixels, await reference(png)), []);
  assert.equal(joined.length, jpeg.length + png.length, 'bytes that share a buffer are copied, not moved');
});

test('a bad image fails alone, with its own error; the others of its message are still written', async () => {
  const good = await SAMPLES['grayscale JPEG']();
  const out = new Float32Array(new SharedArrayBuffer(3 * PLANES * 4));
  const settled = await Promise.allSettled(pool.decodeInto([Uint8Array.from(good), Buffer.from('not an image'), Uint8Array.from(good)], SIZE, out, [0, PLANES, 2 * PLANES]));
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.match(((settled[1] as PromiseRejectedResult).reason as Error).message, /unsupported image format/);
  const expected = await reference(good);
  assert.deepEqual(differences(out.subarray(0, PLANES), expected), []);
  assert.deepEqual(differences(out.subarray(2 * PLANES), expected), []);
  assert.ok(out.subarray(PLANES, 2 * PLANES).every((v) => v === 0), 'nothing is written for the bad image');
  assert.throws(() => pool.decodeInto([good], SIZE, out, [2 * PLANES + 1]), /do not fit/);
});
