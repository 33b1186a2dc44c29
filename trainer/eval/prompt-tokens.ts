/**
 * Evaluation prompts and candidates as token ids, laid out exactly as the training stream lays out
 * an example (pipelines/stream tokenize-example.ts): Q-Former [CLS] instruction [SEP]; LM [BOS]
 * instruction, after which the model generates, or a candidate follows as a target would: its
 * tokens then EOS, cut to the target limit.
 */
import { keepFirst, type TokenLimits } from '../../pipelines/format/index.ts';
import type { StreamTokenizers } from '../../pipelines/stream/index.ts';
import { tokenizeExample } from '../../pipelines/stream/tokenize-example.ts';

export interface PromptTokens {
  qformerIds: number[];
  /** [BOS] instruction: what generation and ranking continue from. */
  lmPromptIds: number[];
}

export function promptTokens(instruction: string, tokenizers: StreamTokenizers, limits: TokenLimits): PromptTokens {
  const tokens = tokenizeExample({ instruction, target: '', templateId: 'eval' }, { tokenizers, qformer: tokenizers.qformer, lm: tokenizers.lm }, limits);
  return { qformerIds: tokens.qformerIds, lmPromptIds: tokens.lmIds.slice(0, tokens.targetStart) };
}

/** Candidate texts to token ids (target then EOS), each text encoded once. */
export class CandidateEncoder {
  private readonly memo = new Map<string, number[]>();

  constructor(private readonly tokenizers: StreamTokenizers, private readonly limits: TokenLimits) {}

  encode(text: string): number[] {
    let ids = this.memo.get(text);
    if (ids === undefined) {
      const { lm } = this.tokenizers;
      ids = [...keepFirst(lm.encode(text), this.limits.target - 1), lm.eosId];
      this.memo.set(text, ids);
    }
    return ids;
  }
}
