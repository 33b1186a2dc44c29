/**
 * Real tokenizers for the stream tests, built with @huggingface/tokenizers: the bert-base-uncased
 * WordPiece of trainer/tokenizer.ts for the Q-Former, and a small
 * LLaMA-style tokenizer (Metaspace-like normalizer, character BPE, <s> and </s>) for the LM, whose
 * tokens carry their leading space so it does not split on whitespace.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type { LmTokenizer, QFormerTokenizer } from '../../pipelines/stream/index.ts';
import { bertBaseUncased } from '../../trainer/tokenizer.ts';

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** A @huggingface/tokenizers Tokenizer's id for a special token, which must exist. */
function idOf(tokenizer: Tokenizer, token: string): number {
  const id = tokenizer.token_to_id(token);
  if (id === undefined) throw new Error(`tokenizer has no ${token}`);
  return id;
}

export function bertQFormerTokenizer(): QFormerTokenizer {
  const tokenizer = bertBaseUncased();
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    splitsOnWhitespace: true,
    clsId: idOf(tokenizer, '[CLS]'), sepId: idOf(tokenizer, '[SEP]'), padId: idOf(tokenizer, '[PAD]'),
  };
}

export const LM_SPECIAL = { unk: 0, bos: 1, eos: 2 } as const;

export function charLmTokenizer(): LmTokenizer {
  const chars = ['▁', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== ' '), '\n'];
  const vocab: Record<string, number> = { '<unk>': LM_SPECIAL.unk, '<s>': LM_SPECIAL.bos, '</s>': LM_SPECIAL.eos };
  chars.forEach((c, i) => { vocab[c] = i + 3; });
  const tokenizer = new Tokenizer({
    version: '1.0',
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    model: { type: 'BPE', vocab, merges: [], unk_token: '<unk>', byte_fallback: false, fuse_unk: true, dropout: null, continuing_subword_prefix: null, end_of_word_suffix: null },
  }, {});
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    bosId: LM_SPECIAL.bos, eosId: LM_SPECIAL.eos, padId: LM_SPECIAL.unk,
  };
}
