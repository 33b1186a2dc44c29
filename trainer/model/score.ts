/**
 * Log-likelihood of candidate answers, for ranking (multiple choice, classification, vocabulary
 * ranking). Each example's prefix (soft prompt + prompt) runs once; its key/value cache is then
 * copied to one row per candidate, and every candidate of every example goes through the LM in one
 * batched pass, right-padded. Only the positions that predict a candidate token reach the LM head.
 */
import * as tf from '@tensorflow/tfjs';
import { type InstructBlip, type SoftPromptInputs, softPrompt } from './instructblip.ts';
import { type Llama, embedTokens, lmHead, llamaForward } from './llama.ts';
import { type Prefix, leftPaddedPrefix } from './prefix.ts';
import { tidy } from './tidy.ts';

export interface CandidateScore {
  /** Sum over the candidate's tokens of log p(token | prefix, earlier candidate tokens). */
  logLikelihood: number;
  tokens: number;
}

/** One row per candidate: which example it belongs to, and its tokens. */
function candidateRows(candidates: readonly (readonly (readonly number[])[])[]): { example: number[]; tokens: (readonly number[])[] } {
  const example: number[] = [];
  const tokens: (readonly number[])[] = [];
  candidates.forEach((list, e) =>
    list.forEach((c) => {
      example.push(e);
      tokens.push(c);
    }),
  );
  return { example, tokens };
}

/** Scores `candidates[e]` after example e's prefix; returns the scores in the same nesting. */
export function scoreAfterPrefix(lm: Llama, prefix: Prefix, candidates: readonly (readonly (readonly number[])[])[]): CandidateScore[][] {
  const examples = prefix.embeds.shape[0];
  if (candidates.length !== examples) throw new Error(`score: ${candidates.length} candidate lists for ${examples} examples`);
  const { example, tokens } = candidateRows(candidates);
  const longest = Math.max(0, ...tokens.map((t) => t.length));
  const sums = new Float64Array(tokens.length);
  if (longest > 0) {
    const picked = tidy(() => {
      const { hidden: prefixHidden, cache } = llamaForward(lm, { inputsEmbeds: prefix.embeds, attentionMask: prefix.mask });
      const rows = tf.tensor1d(example, 'int32');
      const [, prefixLength, width] = prefixHidden.shape;
      const padded = tokens.map((t) => [...t, ...Array<number>(longest - t.length).fill(lm.cfg.padTokenId)]);
      const mask = tf.concat([tf.gather(prefix.mask, rows), tf.tensor2d(tokens.map((t) => Array.from({ length: longest }, (_, i) => (i < t.length ? 1 : 0))), [tokens.length, longest], 'int32')], 1) as tf.Tensor2D;
      const { hidden } = llamaForward(lm, {
        inputsEmbeds: embedTokens(lm, tf.tensor2d(padded, [tokens.length, longest], 'int32')),
        attentionMask: mask,
        cache: { keys: cache.keys.map((k) => tf.gather(k, rows)), values: cache.values.map((v) => tf.gather(v, rows)) },
      });
      // Token i of a candidate is predicted by the position before it: the prefix's last for i = 0.
      const prefixLast = tf.gather(prefixHidden.slice([0, prefixLength - 1, 0], [examples, 1, width]), rows);
      const predicting = tf.concat([prefixLast, hidden.slice([0, 0, 0], [tokens.length, longest - 1, width])], 1).reshape([-1, width]);
      const flat = tokens.flatMap((t, r) => t.map((_, i) => r * longest + i));
      const logProbs = tf.logSoftmax(lmHead(lm, tf.gather(predicting, tf.tensor1d(flat, 'int32'))));
      const vocab = lm.cfg.vocabSize;
      const targets = tokens.flatMap((t) => [...t]).map((token, n) => n * vocab + token);
      return tf.gather(logProbs.reshape([-1]), tf.tensor1d(targets, 'int32'));
    });
    const values = picked.dataSync();
    picked.dispose();
    let n = 0;
    tokens.forEach((t, r) => {
      for (let i = 0; i < t.length; i++) sums[r] += values[n++]!;
    });
  }
  let r = 0;
  return candidates.map((list) => list.map((c) => ({ logLikelihood: sums[r++]!, tokens: c.length })));
}

/** InstructBLIP: prefix from images, instruction and LM prompt ids; then every candidate scored. */
export function scoreCandidates(
  model: InstructBlip,
  inputs: SoftPromptInputs & { promptIds: readonly (readonly number[])[]; candidates: readonly (readonly (readonly number[])[])[] },
): CandidateScore[][] {
  const prefix = tidy(() => leftPaddedPrefix(model.lm, softPrompt(model, inputs), inputs.promptIds));
  try {
    return scoreAfterPrefix(model.lm, prefix, inputs.candidates);
  } finally {
    tf.dispose([prefix.embeds, prefix.mask]);
  }
}
