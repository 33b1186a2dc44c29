/**
 * Mean cross-entropy of logits [N, vocab] against target ids, with a hand-written gradient:
 * (softmax - onehot) / N, the softmax kept from the forward pass. Autodiff through logSoftmax and a
 * gather recomputes the softmax and scatters back through a vocab-wide segment sum.
 */
import * as tf from '@tensorflow/tfjs';

export function meanCrossEntropy(logits: tf.Tensor2D, targets: readonly number[]): tf.Scalar {
  const [rows, vocab] = logits.shape;
  if (targets.length !== rows) throw new Error(`cross-entropy: ${targets.length} targets for ${rows} rows of logits`);
  const fn = tf.customGrad(((z: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const max = z.max(1, true);
    const exps = z.sub(max).exp();
    const sums = exps.sum(1, true);
    const normalizer = sums.log().add(max);
    // The softmax is kept from here: recomputing it for the gradient was a second exp over [N, vocab].
    save([exps.mul(sums.reciprocal())]);
    const picked = tf.gather(z.reshape([-1]), tf.tensor1d(targets.map((t, i) => i * vocab + t), 'int32'));
    return {
      value: normalizer.reshape([-1]).sub(picked).mean(),
      // Tensors made outside this closure are gone by now (the forward pass ran in a tidy).
      gradFunc: (dy: tf.Tensor, [softmax]: tf.Tensor[]) => softmax!.sub(tf.oneHot(tf.tensor1d(targets as number[], 'int32'), vocab)).mul(dy.div(rows)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return fn(logits) as tf.Scalar;
}
