import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { splitPngStream } from '../../pipelines/media/video-png-split.ts';

const png = (r: number) => sharp({ create: { width: 3, height: 2, channels: 3, background: { r, g: 0, b: 0 } } }).png().toBuffer();

describe('splitPngStream', () => {
  it('splits back-to-back PNG files at their IEND chunks', async () => {
    const files = await Promise.all([10, 120, 250].map(png));
    const parts = splitPngStream(Buffer.concat(files));
    assert.deepEqual(parts, files);
  });

  it('returns nothing for an empty stream', () => {
    assert.deepEqual(splitPngStream(Buffer.alloc(0)), []);
  });

  it('rejects bytes that are not PNG and a truncated last frame', async () => {
    const file = await png(1);
    assert.throws(() => splitPngStream(Buffer.from('GIF89a-not-png')), /no PNG signature at byte 0/);
    assert.throws(() => splitPngStream(Buffer.concat([file, file.subarray(0, file.length - 5)])), new RegExp(`frame at byte ${file.length} is truncated`));
  });
});
