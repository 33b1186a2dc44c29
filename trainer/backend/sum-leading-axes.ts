/**
 * A Sum kernel for wasm for reductions over leading axes, which is what every bias gradient is
 * (dy [tokens, width] summed over tokens). tfjs-backend-wasm 4.22.0 transposes the reduced axes to
 * the end and then sums each row, ~6 ns per element; layout.wat's row sums read the input once, in
 * order, 4 columns per vector. Other reductions, and any case the kernel cannot take, go to the
 * original.
 */
import * as tf from '@tensorflow/tfjs';
import { LayoutKernel } from './layout-kernel.ts';
import { filledOutput, replaceWasmKernel, type WasmBackend } from './replace-kernel.ts';

/** How many leading axes `axis` names (a prefix 0..k-1, any order), or 0 when it is not such a prefix. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  return axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i) ? axes.length : 0;
}

/** Registers the kernel; false, leaving the original alone, when the SIMD module cannot load. */
export function registerSumLeadingAxesKernel(): boolean {
  return replaceWasmKernel('Sum', (original) => {
    const layout = LayoutKernel.shared();
    return (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0;
      if (k === 0) return original.kernelFunc(args) as tf.TensorInfo;
      const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
      const rest = x.shape.slice(k);
      const shape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
      const fill = ([xs]: Float32Array[], out: Float32Array) => layout.sumRows(xs!, rows, tf.util.sizeFromShape(rest), out);
      return filledOutput(args.backend as unknown as WasmBackend, shape, 'float32', [x], fill) ?? (original.kernelFunc(args) as tf.TensorInfo);
    };
  });
}
