/**
 * A Transpose kernel for wasm for two cases training runs often: a matrix's [1, 0] (the frozen tied
 * LM head, and every Linear's gradient where the explicit-transpose gradient of matmul-gradient.ts
 * stands in for the project's matmul) and the identity permutation (which the embedding gradient
 * asks for). tfjs-backend-wasm 4.22.0 copies element by
 * element at ~5 ns each, ~100 ms of a 1 s step; the SIMD transpose of layout.wat does a matrix in
 * 4x4 blocks, and an identity shares the input's memory as Identity does (shared-identity.ts).
 * Every other permutation, and any case the kernel cannot take, goes to the original.
 */
import * as tf from '@tensorflow/tfjs';
import { LayoutKernel } from './layout-kernel.ts';
import { filledOutput, replaceWasmKernel, type WasmBackend } from './replace-kernel.ts';

/** Registers the kernel; false, leaving the original alone, when the SIMD module cannot load. */
export function registerTransposeKernel(): boolean {
  return replaceWasmKernel('Transpose', (original) => {
    const layout = LayoutKernel.shared();
    return (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { perm } = args.attrs as unknown as { perm: number[] };
      const backend = args.backend as unknown as WasmBackend;
      if (x.dtype === 'string') return original.kernelFunc(args) as tf.TensorInfo;
      if (perm.every((axis, i) => axis === i)) {
        backend.incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      }
      if (x.shape.length !== 2 || (x.dtype !== 'float32' && x.dtype !== 'int32')) return original.kernelFunc(args) as tf.TensorInfo;
      const [rows, cols] = x.shape as [number, number];
      return filledOutput(backend, [cols, rows], x.dtype, [x], ([xs], out) => layout.transpose(xs!, rows, cols, out)) ?? (original.kernelFunc(args) as tf.TensorInfo);
    };
  });
}
