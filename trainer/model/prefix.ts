/**
 * The LM input before anything is generated or scored: per row, the soft prompt (projected queries)
 * then the prompt's token embeddings. Rows are left-padded so they all end at the last column, where
 * the next token is predicted; positions count attended tokens only, so padding shifts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { type Llama, embedTokens } from './llama.ts';

export interface Prefix {
  embeds: tf.Tensor3D;
  mask: tf.Tensor2D;
}

/** `softPrompt` [B, P, hidden] (or none, for a text-only LM) and each row's prompt ids, unpadded. */
export function leftPaddedPrefix(lm: Llama, softPrompt: tf.Tensor3D | undefined, promptIds: readonly (readonly number[])[]): Prefix {
  const rows = promptIds.length;
  if (softPrompt !== undefined && softPrompt.shape[0] !== rows) throw new Error(`soft prompt: shape [${softPrompt.shape}] has ${softPrompt.shape[0]} rows, the prompts ${rows}`);
  const promptLength = softPrompt?.shape[1] ?? 0;
  const longest = Math.max(...promptIds.map((ids) => ids.length));
  if (promptLength + longest === 0) throw new Error('an empty prefix: give a soft prompt or at least one prompt token');
  const width = lm.cfg.hiddenSize;
  const padded = promptIds.map((ids) => [...Array<number>(longest - ids.length).fill(lm.cfg.padTokenId), ...ids]);
  const tokens = embedTokens(lm, tf.tensor2d(padded, [rows, longest], 'int32'));
  const embeds = promptIds.map((ids, b) => {
    const pad = longest - ids.length;
    const row = tokens.slice([b, 0, 0], [1, longest, width]);
    if (softPrompt === undefined) return row;
    // The padding goes before the soft prompt: [pad, soft prompt, prompt tokens].
    const soft = softPrompt.slice([b, 0, 0], [1, promptLength, width]);
    return tf.concat([row.slice([0, 0, 0], [1, pad, width]), soft, row.slice([0, pad, 0], [1, ids.length, width])], 1);
  });
  const mask = promptIds.map((ids) => [...Array<number>(longest - ids.length).fill(0), ...Array<number>(promptLength + ids.length).fill(1)]);
  return { embeds: tf.concat(embeds, 0) as tf.Tensor3D, mask: tf.tensor2d(mask, [rows, promptLength + longest], 'int32') };
}
