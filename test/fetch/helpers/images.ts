/** Tiny byte strings that pass the image magic check, distinct per seed. */
export function fakeJpeg(seed: number, size = 600): Buffer {
  const b = Buffer.alloc(size, seed & 0xff);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  b.writeUInt32BE(seed >>> 0, 4);
  return b;
}
