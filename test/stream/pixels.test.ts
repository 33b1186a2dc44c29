/**
 * The pixel pool (several images per worker message, shared output slots, a lookup-table
 * normalization) against the plain way of doing it: one sharp call per image and the CLIP formula
 * per value.
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

/** The straightforward pipeline: decode, flatten onto white, sRGB, bicubic fill to size, then (v / 255 - mean) / std per value, channels first. */
async function reference(bytes: Buffer, size = SIZE): Promise<Float32Array> {
  const rgb = await sharp(bytes, { failOn: 'truncated' })
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw({ depth: 'uchar' })
    .toBuffer();
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < size * size; p++) out[c * size * size + p] = (rgb[p * 3 + c] / 255 - CLIP_MEAN[c]) / CLIP_STD[c];
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

test('decodeInto writes exactly the reference pixels, at the requested offsets, several images per message, into plain or shared memory', async () => {
  const names = Object.keys(SAMPLES);
  const images = await Promise.all(names.map((name) => SAMPLES[name]()));
  const expected = await Promise.all(images.map((bytes) => reference(bytes)));
  // Each image twice, in places out of order, so a message covers images of several kinds; the
  // second round reuses the pool's output slots.
  const order = [...names.keys(), ...names.keys()].reverse();
  for (const [step, shared] of [[7, false], [3, false], [7, true], [3, true]] as const) {
    const slots = order.map((_, k) => (k * step) % order.length);
    // Shared output is written by the workers directly; plain output through the pool's slots.
    const out = shared ? new Float32Array(new SharedArrayBuffer(order.length * PLANES * 4)) : new Float32Array(order.length * PLANES);
    await Promise.all(pool.decodeInto(order.map((i) => Uint8Array.from(images[i])), SIZE, out, slots.map((s) => s * PLANES)));
    order.forEach((i, k) => {
      const planes = out.subarray(slots[k] * PLANES, (slots[k] + 1) * PLANES);
      assert.deepEqual(differences(planes, expected[i]), [], `${names[i]} in slot ${slots[k]}${shared ? ', shared output' : ''}`);
    });
  }
});

test('decode returns the reference pixels, also for bytes that share a buffer', async () => {
  const [jpeg, png] = await Promise.all([SAMPLES['non-square JPEG (640x360)'](), SAMPLES['PNG with alpha']()]);
  const joined = Buffer.concat([jpeg, png]);
  const pixels = await pool.decode(joined.subarray(jpeg.length), SIZE);
  assert.deepEqual(differences(pixels, await reference(png)), []);
  assert.equal(joined.length, jpeg.length + png.length, 'bytes that share a buffer are copied, not moved');
});

test('a bad image fails alone, with its own error; the others of its message are still written', async () => {
  const good = await SAMPLES['grayscale JPEG']();
  // Five images on two workers: two per message, the bad one shares the first.
  const images = [good, Buffer.from('not an image'), good, good, good].map((b) => Uint8Array.from(b));
  const out = new Float32Array(images.length * PLANES);
  const settled = await Promise.allSettled(pool.decodeInto(images, SIZE, out, images.map((_, i) => i * PLANES)));
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  assert.match(((settled[1] as PromiseRejectedResult).reason as Error).message, /unsupported image format/);
  const expected = await reference(good);
  for (const i of [0, 2, 3, 4]) assert.deepEqual(differences(out.subarray(i * PLANES, (i + 1) * PLANES), expected), [], `image ${i}`);
  assert.ok(out.subarray(PLANES, 2 * PLANES).every((v) => v === 0), 'nothing is written for the bad image');
  assert.throws(() => pool.decodeInto([good], SIZE, out, [4 * PLANES + 1]), /do not fit/);
});

test('more images than the pool has output slots wait for them and come out right', async () => {
  const size = 32;
  const plane = 3 * size * size;
  const names = Object.keys(SAMPLES);
  const images = await Promise.all(names.map((name) => SAMPLES[name]()));
  const expected = await Promise.all(images.map((bytes) => reference(bytes, size)));
  const count = 70;
  const out = new Float32Array(count * plane);
  await Promise.all(pool.decodeInto(Array.from({ length: count }, (_, k) => Uint8Array.from(images[k % images.length])), size, out, Array.from({ length: count }, (_, k) => k * plane)));
  for (let k = 0; k < count; k++) assert.deepEqual(differences(out.subarray(k * plane, (k + 1) * plane), expected[k % images.length]), [], `image ${k}`);
});
