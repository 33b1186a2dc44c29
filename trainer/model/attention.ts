/** Scaled dot-product attention over [batch, heads, positions, headDim] tensors, and its masks. */
import * as tf from '@tensorflow/tfjs';
import { dropout } from './layers.ts';

/**
 * Added to the score of a masked key. Finite, so a row with every key masked (a padding position)
 * stays a uniform average instead of NaN; exp(-1e9 - max) is exactly 0 in float32, as in HF.
 */
export const MASKED_SCORE = -1e9;

/** [B, T, heads * d] -> [B, heads, T, d] */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [batch, length, width] = x.shape as [number, number, number];
  return x.reshape([batch, length, heads, width / heads]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/** [B, heads, T, d] -> [B, T, heads * d] */
export function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  const [batch, heads, length, d] = x.shape as [number, number, number, number];
  return x.transpose([0, 2, 1, 3]).reshape([batch, length, heads * d]) as tf.Tensor3D;
}

/** Additive mask [B, 1, 1, T] from a key mask [B, T] (1 = attend, 0 = padding). */
export function keyPaddingMask(keep: tf.Tensor2D): tf.Tensor4D {
  const [batch, length] = keep.shape;
  return tf.scalar(1).sub(keep.toFloat()).mul(MASKED_SCORE).reshape([batch, 1, 1, length]) as tf.Tensor4D;
}

/**
 * softmax(q k^T / sqrt(d) + mask) v; dropout on the attention probabilities while training. When q
 * holds only the first of `allQueries` query positions, the dropout mask is that of the full pass.
 */
export function attend(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor | undefined, dropoutRate = 0, training = false, allQueries = q.shape[2]): tf.Tensor4D {
  // Scaling q rather than the scores: fewer values whenever there are more keys than head dimensions.
  let scores = tf.matMul(q.mul(1 / Math.sqrt(q.shape[3])), k, false, true);
  if (mask !== undefined) scores = scores.add(mask);
  return tf.matMul(dropout(tf.softmax(scores), dropoutRate, training, { axis: 2, rows: allQueries }), v) as tf.Tensor4D;
}
