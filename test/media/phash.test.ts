import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { encodeImage } from '../../pipelines/media/encode-image.ts';
import { grayThumbnail, hammingDistance, lowFrequencyDct, phashFromGray } from '../../pipelines/media/phash.ts';
import { photoJpeg } from './fixture-images.ts';

const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);

test('hamming distance is a metric on 64-bit hashes', () => {
  fc.assert(fc.property(hex16, hex16, hex16, (a, b, c) => {
    assert.equal(hammingDistance(a, a), 0);
    assert.equal(hammingDistance(a, b), hammingDistance(b, a));
    assert.ok(hammingDistance(a, b) <= 64);
    assert.ok(hammingDistance(a, c) <= hammingDistance(a, b) + hammingDistance(b, c));
  }));
});

test('a flat image has energy only in the DC coefficient', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), (level) => {
    const dct = lowFrequencyDct(new Uint8Array(32 * 32).fill(level));
    assert.ok(Math.abs(dct[0] - level * 1024) < 1e-6);
    for (let i = 1; i < 64; i++) assert.ok(Math.abs(dct[i]) < 1e-6);
  }), { numRuns: 20 });
});

test('the hash is 16 hex digits, with the median splitting the bits about in half', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1024, maxLength: 1024 }), (pixels) => {
    const hash = phashFromGray(pixels);
    assert.match(hash, /^[0-9a-f]{16}$/);
    const ones = [...hash].reduce((n, d) => n + hammingDistance(d, '0'), 0);
    assert.ok(ones <= 32, `${ones} bits above the median`);
  }), { numRuns: 50 });
});

test('a rescaled, recompressed copy stays near; different scenes are far', async () => {
  const original = await photoJpeg(1);
  const copy = await sharp(original).resize(200).jpeg({ quality: 40 }).toBuffer();
  const [a, b] = await Promise.all([encodeImage(original), encodeImage(copy)]);
  assert.ok(hammingDistance(a.phash, b.phash) <= 4, `near copy differs by ${hammingDistance(a.phash, b.phash)} bits`);
  const others = await Promise.all([2, 3, 4, 5].map(async (seed) => (await encodeImage(await photoJpeg(seed))).phash));
  assert.ok(others.every((h) => hammingDistance(h, a.phash) >= 16), `distances ${others.map((h) => hammingDistance(h, a.phash))}`);
});

const pixelsOf = (width: number, height: number, channels: number) =>
  fc.uint8Array({ minLength: width * height * channels, maxLength: width * height * channels });
const sizes = fc.record({ width: fc.integer({ min: 1, max: 120 }), height: fc.integer({ min: 1, max: 120 }), channels: fc.integer({ min: 1, max: 4 }) });

test('the gray thumbnail keeps the mean of the luma over white, at any size and channel count', () => {
  fc.assert(fc.property(sizes.chain((s) => fc.tuple(fc.constant(s), pixelsOf(s.width, s.height, s.channels))), ([{ width, height, channels }, pixels]) => {
    let sum = 0;
    for (let p = 0; p < pixels.length; p += channels) {
      const value = channels < 3 ? pixels[p] : 0.299 * pixels[p] + 0.587 * pixels[p + 1] + 0.114 * pixels[p + 2];
      const alpha = channels === 2 || channels === 4 ? pixels[p + channels - 1] / 255 : 1;
      sum += value * alpha + 255 * (1 - alpha);
    }
    const thumb = grayThumbnail(pixels, width, height, channels);
    assert.equal(thumb.length, 32 * 32);
    const mean = thumb.reduce((a, b) => a + b, 0) / thumb.length;
    assert.ok(Math.abs(mean - sum / (width * height)) < 1e-6, `${mean} vs ${sum / (width * height)}`);
  }), { numRuns: 60 });
});

test('when the sides are multiples of 32, each thumbnail pixel is the mean of its block', () => {
  const blocks = fc.record({ bx: fc.integer({ min: 1, max: 5 }), by: fc.integer({ min: 1, max: 5 }) });
  fc.assert(fc.property(blocks.chain((b) => fc.tuple(fc.constant(b), pixelsOf(32 * b.bx, 32 * b.by, 1))), ([{ bx, by }, pixels]) => {
    const width = 32 * bx;
    const thumb = grayThumbnail(pixels, width, 32 * by, 1);
    for (let oy = 0; oy < 32; oy++) {
      for (let ox = 0; ox < 32; ox++) {
        let sum = 0;
        for (let y = oy * by; y < (oy + 1) * by; y++) for (let x = ox * bx; x < (ox + 1) * bx; x++) sum += pixels[y * width + x];
        assert.ok(Math.abs(thumb[oy * 32 + ox] - sum / (bx * by)) < 1e-9);
      }
    }
  }), { numRuns: 20 });
});

test('a flat image gives a flat thumbnail; a transparent one is white', () => {
  fc.assert(fc.property(sizes, fc.integer({ min: 0, max: 255 }), ({ width, height, channels }, level) => {
    const pixels = new Uint8Array(width * height * channels).fill(level);
    const alpha = channels === 2 || channels === 4;
    if (alpha) for (let p = channels - 1; p < pixels.length; p += channels) pixels[p] = 0;
    const expected = alpha ? 255 : channels < 3 ? level : level * (0.299 + 0.587 + 0.114);
    for (const v of grayThumbnail(pixels, width, height, channels)) assert.ok(Math.abs(v - expected) < 1e-6);
  }), { numRuns: 40 });
});

test('pixels that do not match the stated size are refused', () => {
  assert.throws(() => grayThumbnail(new Uint8Array(10), 2, 2, 3), /10 bytes are not 2x2 pixels of 3 channel/);
});
