/** tf.tidy for results typed as interfaces (TF.js's TensorContainer type only admits index-signature objects). */
import * as tf from '@tensorflow/tfjs';

export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
