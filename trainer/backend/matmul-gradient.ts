/**
 * The gradient of a 2-D `a @ b` with explicit transposes, for wasm when the project's matmul
 * (batch-matmul.ts, which packs transposed operands itself) cannot load. TF.js's own gradient asks
 * for `matMul(dy, b, false, true)` and `matMul(a, dy, true, false)`; tfjs-backend-wasm runs a
 * transposed operand on a naive C loop instead of XNNPACK, which made a Q-Former step 6x slower
 * (feasibility.md §2: 6.27 s against 1.05 s). Registered as the kernel's gradient rather than wrapped in a customGrad,
 * so it stays lazy: TF.js only evaluates the gradient of inputs on a path to the variables, and the
 * frozen language model's weights never get one computed.
 */
import * as tf from '@tensorflow/tfjs';

let installed = false;

export function registerMatMulGradient(): void {
  if (installed) return;
  installed = true;
  const original = tf.getGradient('BatchMatMul');
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (a.rank !== 2 || b.rank !== 2 || transposeA || transposeB) return original.gradFunc(dy, saved, attrs);
      const dy2 = dy as tf.Tensor2D;
      return {
        a: () => tf.matMul(dy2, tf.transpose(b)),
        b: () => tf.matMul(tf.transpose(a), dy2),
      };
    },
  });
}
