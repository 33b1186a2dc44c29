/**
 * Mean cross-entropy of logits [N, vocab] against target ids, with a hand-written gradient:
 * (softmax - onehot) / N. Autodiff through logSoftmax and a gather recomputes the softmax and
 * scatters back through a vocab-wide segment sum.
 */
import * as tf from '@tensorflow/tfjs';

export function meanCrossEntropy(logits: tf.Tensor2D, targets: readonly number[]): tf.Scalar {
  const [rows, vocab] = logits.shape;
  if (targets.length !== rows) throw new Error(`cross-entropy: ${targets.length} targets for ${rows} rows of logits`);
  const fn = tf.customGrad(((z: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const normalizer = tf.logSumExp(z, 1, true);
    save([z, normalizer]);
    const picked = tf.gather(z.reshape([-1]), tf.tensor1d(targets.map((t, i) => i * vocab + t), 'int32'));
    return {
      value: normalizer.reshape([-1]).sub(picked).mean(),
      // Tensors made outside this closure are gone by now (the forward pass ran in a tidy).
      gradFunc: (dy: tf.Tensor, [saved, lse]: tf.Tensor[]) => saved!.sub(lse!).exp().sub(tf.oneHot(tf.tensor1d(targets as number[], 'int32'), vocab)).mul(dy.div(rows)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return fn(logits) as tf.Scalar;
}
