/**
 * One rendered example as token ids, in LAVIS' InstructBLIP layout:
 * - Q-Former: [CLS] instruction [SEP], at most limits.qformerInstruction tokens in all;
 * - LM: [BOS] instruction, then target [EOS], the instruction part at most limits.lmInstruction
 *   tokens and the target part at most limits.target tokens, special tokens included (LAVIS'
 *   max_txt_len and max_output_txt_len count them too).
 * Instructions are cut from the left and targets from the right (pipelines/format/truncate.ts); the
 * special tokens are added after cutting, so they always survive.
 */
import { encodeExample, type RenderedExample, type TokenEncoder, type TokenLimits } from '../format/index.ts';
import type { StreamTokenizers } from './tokenizers.ts';

export interface TokenizedExample {
  qformerIds: number[];
  /** [BOS] instruction target [EOS]. */
  lmIds: number[];
  /** Index in lmIds of the first target token; the loss covers lmIds[targetStart..]. */
  targetStart: number;
  /** Tokens cut off each part. */
  truncated: { qformerInstruction: number; lmInstruction: number; target: number };
}

export interface ExampleEncoders {
  tokenizers: StreamTokenizers;
  qformer: TokenEncoder;
  lm: TokenEncoder;
}

export function tokenizeExample(example: RenderedExample, encoders: ExampleEncoders, limits: TokenLimits): TokenizedExample {
  const { qformer, lm } = encoders.tokenizers;
  const bos = lm.bosId === null ? [] : [lm.bosId];
  const room: TokenLimits = {
    qformerInstruction: limits.qformerInstruction - 2,
    lmInstruction: limits.lmInstruction - bos.length,
    target: limits.target - 1,
  };
  for (const [name, n] of Object.entries(room)) {
    if (n < 1) throw new Error(`token limit ${name} leaves no room for text after the special tokens`);
  }
  const encoded = encodeExample(example, { qformer: encoders.qformer, lm: encoders.lm }, room);
  const prompt = [...bos, ...encoded.lmInstruction];
  return {
    qformerIds: [qformer.clsId, ...encoded.qformerInstruction, qformer.sepId],
    lmIds: [...prompt, ...encoded.target, lm.eosId],
    targetStart: prompt.length,
    truncated: encoded.dropped,
  };
}
