/**
 * The stream's two tokenizers from trainer/tokenizer.ts: the Q-Former's bert-base-uncased WordPiece
 * and the frozen LM's tokenizer.json (special ids from the LM's config, where HF keeps them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LmTokenizer, QFormerTokenizer } from '../../pipelines/stream/index.ts';
import { bertBaseUncased, bertBaseUncasedJson, loadTokenizer, type Tokenizer } from '../tokenizer.ts';

function idOf(tokenizer: Tokenizer, token: string): number {
  const id = tokenizer.token_to_id(token);
  if (id === undefined) throw new Error(`the tokenizer has no ${token}`);
  return id;
}

export interface QFormerTokenizerWithVocab extends QFormerTokenizer {
  vocabSize: number;
}

export function bertUncasedTokenizer(): QFormerTokenizerWithVocab {
  const tokenizer = bertBaseUncased();
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    splitsOnWhitespace: true,
    clsId: idOf(tokenizer, '[CLS]'), sepId: idOf(tokenizer, '[SEP]'), padId: idOf(tokenizer, '[PAD]'),
    vocabSize: Math.max(...Object.values((bertBaseUncasedJson().model as { vocab: Record<string, number> }).vocab)) + 1,
  };
}

export interface LoadedLmTokenizer extends LmTokenizer {
  decode(ids: readonly number[]): string;
}

/** Tokenizers whose pre-tokenizer splits on whitespace before anything else let the stream cache per word. */
function splitsOnWhitespace(json: unknown): boolean {
  const pre = (json as { pre_tokenizer?: { type?: string; pretokenizers?: { type?: string }[] } | null }).pre_tokenizer;
  const types = pre?.type === 'Sequence' ? (pre.pretokenizers ?? []).map((p) => p.type) : [pre?.type];
  return types.length > 0 && types.every((t) => t === 'WhitespaceSplit' || t === 'Whitespace' || t === 'Punctuation');
}

/** An LM tokenizer for the stream from a loaded tokenizer and its tokenizer.json. */
export function lmTokenizerFrom(tokenizer: Tokenizer, json: unknown, ids: { bosId: number | null; eosId: number; padId: number }): LoadedLmTokenizer {
  return {
    ...ids,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (tokenIds) => tokenizer.decode([...tokenIds], { skip_special_tokens: true }),
    splitsOnWhitespace: splitsOnWhitespace(json),
  };
}

/** The tokenizer.json (and tokenizer_config.json) in `dir`, an LM folder. */
export function loadLmTokenizer(dir: string, ids: { bosId: number | null; eosId: number; padId: number }): LoadedLmTokenizer {
  return lmTokenizerFrom(loadTokenizer(dir), JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')), ids);
}
