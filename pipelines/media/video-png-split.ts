/**
 * Splits ffmpeg's image2pipe output (PNG files back to back on stdout) into one Buffer per frame
 * by walking PNG chunks up to each IEND, so no temp files are needed.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function splitPngStream(stream: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = 0;
  while (start < stream.length) {
    if (!stream.subarray(start, start + 8).equals(PNG_SIGNATURE)) {
      throw new Error(`PNG stream: no PNG signature at byte ${start}`);
    }
    let at = start + 8;
    for (;;) {
      if (at + 12 > stream.length) throw new Error(`PNG stream: frame at byte ${start} is truncated`);
      const length = stream.readUInt32BE(at);
      const type = stream.toString('latin1', at + 4, at + 8);
      at += 12 + length; // length, type, data, crc
      if (type === 'IEND') break;
    }
    if (at > stream.length) throw new Error(`PNG stream: frame at byte ${start} is truncated`);
    frames.push(stream.subarray(start, at));
    start = at;
  }
  return frames;
}
