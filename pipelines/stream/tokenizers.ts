/**
 * What the stream needs of its two tokenizers. The trainer builds them (trainer/tokenizer.ts loads
 * the tokenizer.json files) and passes them in, so this stage never imports the trainer.
 */
import type { TokenEncoder } from '../format/index.ts';

export interface StreamTokenizer extends TokenEncoder {
  /** Token ids of `text` with no special tokens added; the stream adds them after truncating. */
  encode(text: string): number[];
  /**
   * True when whitespace never belongs to a token, so encode(a + ' ' + b) is encode(a) followed by
   * encode(b) (WordPiece with BERT pre-tokenization). The stream then caches per word.
   */
  splitsOnWhitespace?: boolean;
}

/** The Q-Former's: bert-base-uncased WordPiece, [CLS] instruction [SEP]. */
export interface QFormerTokenizer extends StreamTokenizer {
  clsId: number;
  sepId: number;
  padId: number;
}

/** The frozen LM's: [BOS] prompt target [EOS]. */
export interface LmTokenizer extends StreamTokenizer {
  /** null for tokenizers that add no BOS. */
  bosId: number | null;
  eosId: number;
  padId: number;
}

export interface StreamTokenizers {
  qformer: QFormerTokenizer;
  lm: LmTokenizer;
}
