/**
 * A word-level tokenizer.json in HF's format for the demo LM: lower-cased words and single
 * punctuation marks, one id each, with LLaMA-style specials (<unk>, <s>, </s>, and <pad>). Its
 * vocabulary is every word of the demo's text, so nothing the LM is asked to read or write is <unk>.
 */
import { Tokenizer } from '@huggingface/tokenizers';

export const WORD_SPECIALS = { unk: '<unk>', bos: '<s>', eos: '</s>', pad: '<pad>' } as const;
export const WORD_SPECIAL_IDS = { unk: 0, bos: 1, eos: 2, pad: 3 } as const;

function specialToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** tokenizer_config.json: HF keeps the special tokens' names here. */
export const WORD_TOKENIZER_CONFIG = {
  tokenizer_class: 'PreTrainedTokenizerFast',
  unk_token: WORD_SPECIALS.unk, bos_token: WORD_SPECIALS.bos, eos_token: WORD_SPECIALS.eos, pad_token: WORD_SPECIALS.pad,
  clean_up_tokenization_spaces: false,
};

const NORMALIZER = { type: 'Lowercase' };
const PRE_TOKENIZER = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'Isolated' }] };

function tokenizerJson(vocab: Record<string, number>): Record<string, unknown> {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: Object.entries(WORD_SPECIALS).map(([key, content]) => specialToken(WORD_SPECIAL_IDS[key as keyof typeof WORD_SPECIALS], content)),
    normalizer: NORMALIZER,
    pre_tokenizer: PRE_TOKENIZER,
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: WORD_SPECIALS.unk },
  };
}

/** Splits text the way the tokenizer will (so the vocabulary matches it exactly). */
export function wordSplitter(): (text: string) => string[] {
  const specials = Object.fromEntries(Object.entries(WORD_SPECIALS).map(([key, content]) => [content, WORD_SPECIAL_IDS[key as keyof typeof WORD_SPECIALS]]));
  const tokenizer = new Tokenizer(tokenizerJson(specials), WORD_TOKENIZER_CONFIG);
  return (text) => tokenizer.tokenize(text);
}

/** The tokenizer.json over `words` (sorted, so the ids do not depend on the order they were met). */
export function wordLevelTokenizer(words: Iterable<string>): { json: Record<string, unknown>; config: Record<string, unknown>; vocabSize: number } {
  const vocab: Record<string, number> = {};
  for (const [key, content] of Object.entries(WORD_SPECIALS)) vocab[content] = WORD_SPECIAL_IDS[key as keyof typeof WORD_SPECIALS];
  let next = Object.keys(vocab).length;
  for (const word of [...new Set(words)].sort()) if (!(word in vocab)) vocab[word] = next++;
  return { json: tokenizerJson(vocab), config: WORD_TOKENIZER_CONFIG, vocabSize: next };
}
