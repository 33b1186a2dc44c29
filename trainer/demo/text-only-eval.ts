/**
 * The stage-0 gate (toy-learnability.md §3.2): can the LM, text only, produce the target when the
 * image's caption stands in front of the instruction? Greedy decoding; a prediction is right when
 * its tokens equal the tokens of the target or of any human answer, so case and spacing never count.
 */
import * as tf from '@tensorflow/tfjs';
import { generateFromPrefix } from '../eval/generate.ts';
import type { Llama } from '../model/llama.ts';
import { leftPaddedPrefix } from '../model/prefix.ts';
import { tidy } from '../model/tidy.ts';
import type { StreamTokenizer } from '../../pipelines/stream/index.ts';
import type { GroundedDocument } from './grounding.ts';

export interface Accuracy {
  correct: number;
  total: number;
}

/** Exact match on token ids against any reference. */
export function isMatch(predicted: readonly number[], references: readonly string[], tokenizer: StreamTokenizer): boolean {
  return references.some((r) => {
    const ids = tokenizer.encode(r);
    return ids.length === predicted.length && ids.every((id, i) => id === predicted[i]);
  });
}

export function addResult(table: Map<string, Accuracy>, dataset: string, right: boolean): void {
  const entry = table.get(dataset) ?? { correct: 0, total: 0 };
  entry.total += 1;
  if (right) entry.correct += 1;
  table.set(dataset, entry);
}

/** Caption-in-context exact match per dataset. */
export function textOnlyAccuracy(lm: Llama, tokenizer: StreamTokenizer, docs: readonly GroundedDocument[], options: { batchSize: number; maxNewTokens: number }): Map<string, Accuracy> {
  const table = new Map<string, Accuracy>();
  for (let start = 0; start < docs.length; start += options.batchSize) {
    const chunk = docs.slice(start, start + options.batchSize);
    const prompts = chunk.map((d) => [...d.contextIds, ...d.lmIds.slice(0, d.targetStart)]);
    const prefix = tidy(() => leftPaddedPrefix(lm, undefined, prompts));
    try {
      const generated = generateFromPrefix(lm, prefix, { maxNewTokens: options.maxNewTokens });
      chunk.forEach((d, i) => addResult(table, d.dataset, isMatch(generated[i]!.tokens, d.references, tokenizer)));
    } finally {
      tf.dispose([prefix.embeds, prefix.mask]);
    }
  }
  return table;
}

export function meanAccuracy(table: ReadonlyMap<string, Accuracy>): number {
  const values = [...table.values()].map((a) => a.correct / a.total);
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}
