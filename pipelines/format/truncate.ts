/**
 * Token limits of the paper (as LAVIS implements them): the instruction is cut to 128 tokens from
 * the left, for the Q-Former and for the LM, so the end of the instruction (the question, the
 * latest turn) survives and the start (OCR lists, old dialog turns) goes; the target is cut to 256
 * LM tokens from the right. Special tokens (BOS/EOS) are the tokenizer's and the loader's business.
 */
import type { RenderedExample } from './example.ts';

/** Anything that turns text into token ids (trainer/tokenizer.ts provides the real ones). */
export interface TokenEncoder {
  encode(text: string): number[];
}

export interface TokenLimits {
  qformerInstruction: number;
  lmInstruction: number;
  target: number;
}

export const PAPER_TOKEN_LIMITS: Readonly<TokenLimits> = { qformerInstruction: 128, lmInstruction: 128, target: 256 };

export interface EncodedExample {
  qformerInstruction: number[];
  lmInstruction: number[];
  target: number[];
  /** Tokens cut off each part, for the loader's statistics. */
  dropped: { qformerInstruction: number; lmInstruction: number; target: number };
}

/** The last `limit` tokens. */
export function keepLast(ids: readonly number[], limit: number): number[] {
  return ids.slice(Math.max(0, ids.length - limit));
}

/** The first `limit` tokens. */
export function keepFirst(ids: readonly number[], limit: number): number[] {
  return ids.slice(0, limit);
}

export function encodeExample(
  example: RenderedExample,
  encoders: { qformer: TokenEncoder; lm: TokenEncoder },
  limits: TokenLimits = PAPER_TOKEN_LIMITS,
): EncodedExample {
  for (const [name, limit] of Object.entries(limits)) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`token limit ${name} must be a positive integer, got ${limit}`);
  }
  const qformerIds = encoders.qformer.encode(example.instruction);
  const lmIds = encoders.lm.encode(example.instruction);
  const targetIds = encoders.lm.encode(example.target);
  const qformerInstruction = keepLast(qformerIds, limits.qformerInstruction);
  const lmInstruction = keepLast(lmIds, limits.lmInstruction);
  const target = keepFirst(targetIds, limits.target);
  return {
    qformerInstruction,
    lmInstruction,
    target,
    dropped: {
      qformerInstruction: qformerIds.length - qformerInstruction.length,
      lmInstruction: lmIds.length - lmInstruction.length,
      target: targetIds.length - target.length,
    },
  };
}
