import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { encodeImage, ImageDecodeError } from '../../pipelines/media/encode-image.ts';
import { photoJpeg, scenePng, withOrientation } from './fixture-images.ts';

test('large photos become JPEGs whose longest side is the bound, aspect kept', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 100, max: 1200 }), fc.integer({ min: 100, max: 1200 }), async (w, h) => {
    const image = await encodeImage(await photoJpeg(w * 7 + h, w, h), { maxSide: 448, jpegQuality: 90 });
    const meta = await sharp(image.bytes).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.deepEqual([meta.width, meta.height], [image.width, image.height]);
    assert.equal(Math.max(image.width, image.height), Math.min(448, Math.max(w, h)));
    assert.ok(Math.abs(image.width / image.height - w / h) < 0.02 * (w / h) + 1 / Math.min(image.width, image.height));
  }), { numRuns: 8 });
});

test('small lossless images stay PNG and are not enlarged', async () => {
  const image = await encodeImage(await scenePng(3));
  assert.equal(image.format, 'png');
  assert.deepEqual([image.width, image.height], [112, 112]);
  assert.equal((await sharp(image.bytes).metadata()).format, 'png');
});

test('small GIF, TIFF and PNG inputs stay lossless as PNG; small JPEG and WebP inputs become JPEG', async () => {
  const pixels = await sharp(await scenePng(5)).resize(64, 64).toBuffer();
  const as = {
    png: await sharp(pixels).png().toBuffer(),
    gif: await sharp(pixels).gif().toBuffer(),
    tiff: await sharp(pixels).tiff().toBuffer(),
    jpeg: await sharp(pixels).jpeg().toBuffer(),
    webp: await sharp(pixels).webp().toBuffer(),
  };
  const formats = Object.fromEntries(await Promise.all(Object.entries(as).map(async ([name, bytes]) => [name, (await encodeImage(bytes)).format])));
  assert.deepEqual(formats, { png: 'png', gif: 'png', tiff: 'png', jpeg: 'jpeg', webp: 'jpeg' });
});

test('EXIF orientation is applied before sizing', async () => {
  const image = await encodeImage(await withOrientation(await photoJpeg(1, 300, 200), 6));
  assert.deepEqual([image.width, image.height], [200, 300]);
});

test('bytes that are not an image, or a truncated JPEG, raise ImageDecodeError with sharp\'s message', async () => {
  await assert.rejects(encodeImage(Buffer.from('<html>404</html>')), (e: Error) => e instanceof ImageDecodeError && /unsupported image format/.test(e.message));
  const jpeg = await photoJpeg(2);
  await assert.rejects(encodeImage(jpeg.subarray(0, jpeg.length >> 1)), (e: Error) => e instanceof ImageDecodeError && /premature end/i.test(e.message));
});
