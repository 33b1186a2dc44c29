/** Hamming distance between two 64-bit perceptual hashes written as 16 hex digits. */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export interface Hash64 {
  hi: number;
  lo: number;
}

export function parseHash64(hex: string): Hash64 {
  if (!/^[0-9a-f]{16}$/i.test(hex)) throw new Error(`perceptual hash "${hex}" is not 16 hex digits`);
  return { hi: parseInt(hex.slice(0, 8), 16) >>> 0, lo: parseInt(hex.slice(8), 16) >>> 0 };
}

export function hamming64(a: Hash64, b: Hash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}
