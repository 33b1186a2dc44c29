/**
 * Bounded memoization of a tokenizer's encode. Training text repeats a lot (template text, short
 * answers, common words) and tokenizers cost tens of microseconds per call. A tokenizer that splits
 * on whitespace is cached per space-separated chunk, which hits for nearly every word; any other
 * is cached per whole text, which hits only for exact repeats.
 */
import type { StreamTokenizer } from './tokenizers.ts';

export const DEFAULT_MEMO_ENTRIES = 65536;

/** Only the ASCII whitespace every tokenizer treats as a word break; other spaces stay inside chunks. */
const ASCII_WHITESPACE = /[ \t\n\r]+/;

/**
 * At most `entries` texts in two generations: hits in the old one move to the young one, and a full
 * young generation replaces the old. Frequent texts stay; a lookup is one or two Map reads, without
 * the delete-and-reinsert an exact LRU pays on every hit (which dominated the profile).
 */
function generationalCache(entries: number): { get(text: string): number[] | undefined; set(text: string, ids: number[]): void } {
  if (!Number.isInteger(entries) || entries < 2) throw new RangeError(`memo entries must be an integer >= 2, got ${entries}`);
  const limit = Math.floor(entries / 2);
  let young = new Map<string, number[]>();
  let old = new Map<string, number[]>();
  const set = (text: string, ids: number[]) => {
    if (young.size >= limit) {
      old = young;
      young = new Map();
    }
    young.set(text, ids);
  };
  return {
    get(text) {
      const hit = young.get(text);
      if (hit) return hit;
      const aged = old.get(text);
      if (aged) set(text, aged);
      return aged;
    },
    set,
  };
}

export function memoizedEncode(tokenizer: StreamTokenizer, entries = DEFAULT_MEMO_ENTRIES): (text: string) => number[] {
  const cache = generationalCache(entries);
  const encodeCached = (text: string): number[] => {
    let ids = cache.get(text);
    if (!ids) {
      ids = tokenizer.encode(text);
      cache.set(text, ids);
    }
    return ids;
  };
  if (!tokenizer.splitsOnWhitespace) return (text) => encodeCached(text).slice();
  return (text) => {
    const out: number[] = [];
    for (const chunk of text.split(ASCII_WHITESPACE)) {
      if (chunk === '') continue;
      for (const id of encodeCached(chunk)) out.push(id);
    }
    return out;
  };
}
