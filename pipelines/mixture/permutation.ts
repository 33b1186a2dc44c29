/**
 * A seeded bijection on [0, size) computed index by index, with no array of size `size`: the order
 * in which one epoch of a dataset is read.
 *
 * FE1-style Feistel network (Bellare, Ristenpart, Rogaway, Stegers 2009) over the mixed-radix domain
 * [0, a) × [0, b) with a = ⌈√size⌉, b = ⌈size / a⌉, so a·b − size < a: one round maps
 * x = L·b + R to a·R + ((L + F(R)) mod a), F(R) in [0, a), which is invertible whatever F is. Indices that land in
 * [size, a·b) are walked on through the cipher until they come back inside (cycle walking); as the
 * gap is under √size, that is rare and the walk is short.
 *
 * This is a shuffle, not a cipher: on tiny domains the reachable orders are a subset of all size!
 * (e.g. only the even permutations of 6), which does not matter for reading data.
 */
import { hash32, hashExtend } from '../util/random.ts';

const ROUNDS = 6;

export type IndexPermutation = (index: number) => number;

export function feistelPermutation(size: number, key: number): IndexPermutation {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`permutation size must be a positive integer, got ${size}`);
  const a = Math.ceil(Math.sqrt(size));
  const b = Math.ceil(size / a);
  // Round function F_r(x) = hash32(key, r, x), with the (key, r) prefix hashed once.
  const roundPrefixes = Array.from({ length: ROUNDS }, (_, round) => hash32(key, round));
  const encrypt = (x: number): number => {
    for (let round = 0; round < ROUNDS; round++) {
      const left = Math.floor(x / b);
      const right = x - left * b;
      // F scaled into [0, a) by multiply-shift (Lemire), cheaper than a float modulo.
      let mixed = left + Math.floor((hashExtend(roundPrefixes[round], right) * a) / 0x100000000);
      if (mixed >= a) mixed -= a;
      x = a * right + mixed;
    }
    return x;
  };
  return (index) => {
    if (!(index >= 0 && index < size) || !Number.isInteger(index)) throw new Error(`index ${index} is outside [0, ${size})`);
    let x = encrypt(index);
    while (x >= size) x = encrypt(x);
    return x;
  };
}
