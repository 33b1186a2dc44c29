/**
 * Step-by-step decoding state for greedy and beam search: the next token's log-probabilities for
 * every row, feeding one token per row, and selecting rows (beam reordering). The cached decoder keeps
 * each layer's keys and values and runs only the new token per step; the uncached one re-runs the
 * whole sequence, and exists to check that the cache changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { type KVCache, type Llama, embedTokens, lmHead, llamaForward } from '../model/llama.ts';
import type { Prefix } from '../model/prefix.ts';
import { tidy } from '../model/tidy.ts';

export interface Decoder {
  /** Next-token logits per row, [rows][vocab], on the host (log-softmax is the caller's, if needed). */
  logits(): Float32Array[];
  /** Appends one token per row. */
  feed(tokens: readonly number[]): void;
  /** Keeps rows `rows` in that order (repeats allowed): beam reordering and expansion. */
  select(rows: readonly number[]): void;
  dispose(): void;
}

/** Logits at each row's last position, read to the host. */
function lastLogits(lm: Llama, hidden: tf.Tensor3D): Float32Array[] {
  const [rows, length, width] = hidden.shape;
  const logits = tf.tidy(() => lmHead(lm, hidden.slice([0, length - 1, 0], [rows, 1, width]).reshape([rows, width])));
  // Read outside the tidy: tidy walks every element of a returned typed array.
  const values = logits.dataSync() as Float32Array;
  logits.dispose();
  const vocab = lm.cfg.vocabSize;
  return Array.from({ length: rows }, (_, r) => values.subarray(r * vocab, (r + 1) * vocab));
}

function tokenColumn(tokens: readonly number[]): tf.Tensor2D {
  return tf.tensor2d(tokens.map((t) => [t]), [tokens.length, 1], 'int32');
}

function gatherRows<T extends tf.Tensor>(t: T, rows: readonly number[]): T {
  return tf.gather(t, tf.tensor1d(rows as number[], 'int32')) as T;
}

export function cachedDecoder(lm: Llama, prefix: Prefix): Decoder {
  const first = tidy(() => llamaForward(lm, { inputsEmbeds: prefix.embeds, attentionMask: prefix.mask }));
  let next = lastLogits(lm, first.hidden);
  first.hidden.dispose();
  let cache: KVCache = first.cache;
  let mask = tf.keep(prefix.mask.clone());
  const replace = (state: { mask: tf.Tensor2D; cache: KVCache }) => {
    tf.dispose([mask, ...cache.keys, ...cache.values]);
    mask = state.mask;
    cache = state.cache;
  };
  return {
    logits: () => next,
    feed(tokens) {
      const step = tidy(() => {
        const grown = tf.concat([mask, tf.ones([tokens.length, 1], 'int32')], 1) as tf.Tensor2D;
        const { hidden, cache: c } = llamaForward(lm, { inputsEmbeds: embedTokens(lm, tokenColumn(tokens)), attentionMask: grown, cache });
        return { hidden, mask: grown, cache: c };
      });
      next = lastLogits(lm, step.hidden);
      step.hidden.dispose();
      replace(step);
    },
    select(rows) {
      replace(tidy(() => ({ mask: gatherRows(mask, rows), cache: { keys: cache.keys.map((k) => gatherRows(k, rows)), values: cache.values.map((v) => gatherRows(v, rows)) } })));
      next = rows.map((r) => next[r]!);
    },
    dispose: () => tf.dispose([mask, ...cache.keys, ...cache.values]),
  };
}

export function uncachedDecoder(lm: Llama, prefix: Prefix): Decoder {
  let embeds = tf.keep(prefix.embeds.clone());
  let mask = tf.keep(prefix.mask.clone());
  const run = () => {
    const hidden = tf.tidy(() => llamaForward(lm, { inputsEmbeds: embeds, attentionMask: mask }).hidden);
    const logits = lastLogits(lm, hidden);
    hidden.dispose();
    return logits;
  };
  let next = run();
  const replace = (e: tf.Tensor3D, m: tf.Tensor2D) => {
    tf.dispose([embeds, mask]);
    embeds = e;
    mask = m;
  };
  return {
    logits: () => next,
    feed(tokens) {
      replace(...tf.tidy(() => [tf.concat([embeds, embedTokens(lm, tokenColumn(tokens))], 1) as tf.Tensor3D, tf.concat([mask, tf.ones([tokens.length, 1], 'int32')], 1) as tf.Tensor2D] as const));
      next = run();
    },
    select(rows) {
      replace(...tf.tidy(() => [gatherRows(embeds, rows), gatherRows(mask, rows)] as const));
      next = rows.map((r) => next[r]!);
    },
    dispose: () => tf.dispose([embeds, mask]),
  };
}
