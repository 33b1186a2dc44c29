/**
 * Counter-based randomness: every random value is a pure function of a seed and integer
 * coordinates, so any draw can be recomputed from its position alone (exact resume, sharding).
 */

/** SplitMix64's finalizer on 32-bit halves: a strong integer mixer. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uniform 32-bit integer determined by (seed, ...coords). */
export function hash32(seed: number, ...coords: number[]): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (const c of coords) h = hashExtend(h, c);
  return h;
}

/**
 * One more coordinate: hash32(seed, ...coords, c) === hashExtend(hash32(seed, ...coords), c).
 * Hot loops hash a fixed prefix once and extend it per position, without hash32's argument array.
 */
export function hashExtend(h: number, c: number): number {
  return mix32((h ^ mix32((c >>> 0) + 0x632be5ab + Math.floor(c / 0x100000000))) >>> 0);
}

/** A uniform float in [0, 1) determined by (seed, ...coords). */
export function uniform(seed: number, ...coords: number[]): number {
  return hash32(seed, ...coords) / 0x100000000;
}

/** A 32-bit hash of a string, for seeding by record id. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return mix32(h >>> 0);
}

/** A sequential generator for places that need a stream of values (sample generation). */
export function rng(seed: number): () => number {
  let counter = 0;
  return () => uniform(seed, counter++);
}

export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}
