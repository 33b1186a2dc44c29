/**
 * Bounded memoization of a tokenizer's encode. Training text repeats a lot (template text, short
 * answers, common words) and tokenizers cost tens of microseconds per call. A tokenizer that splits
 * on whitespace is cached per space-separated chunk, which hits for nearly every word; any other
 * is cached per whole text, which hits only for exact repeats.
 */
import { LruCache } from './lru.ts';
import type { StreamTokenizer } from './tokenizers.ts';

export const DEFAULT_MEMO_ENTRIES = 65536;

/** Only the ASCII whitespace every tokenizer treats as a word break; other spaces stay inside chunks. */
const ASCII_WHITESPACE = /[ \t\n\r]+/;

export function memoizedEncode(tokenizer: StreamTokenizer, entries = DEFAULT_MEMO_ENTRIES): (text: string) => number[] {
  const cache = new LruCache<string, number[]>(entries);
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
