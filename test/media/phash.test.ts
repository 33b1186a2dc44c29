import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { encodeImage } from '../../pipelines/media/encode-image.ts';
import { hammingDistance, lowFrequencyDct, phashFromGray } from '../../pipelines/media/phash.ts';
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
