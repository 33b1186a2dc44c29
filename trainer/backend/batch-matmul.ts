/**
 * A SIMD BatchMatMul for wasm (batch-matmul.wat), for what tfjs-backend-wasm 4.22.0 would run on
 * `slow_batch_matmul`, its scalar loop at about 1 GFLOP/s: any batch above 1 or a transposed operand,
 * i.e. every attention product and its gradients. XNNPACK keeps the rest (2-D, no transpose).
 * The kernel has its own memory: the operands are copied in from the tfjs heap and the result back
 * out, O(size) against the product's O(size x K).
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_MATMUL_WASM } from './batch-matmul-wasm.ts';
import { filledOutput, replaceWasmKernel, type WasmBackend } from './replace-kernel.ts';
import { ensureBytes, instantiateKernel } from './wasm-kernel.ts';

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface BatchMatMulExports {
  memory: WebAssembly.Memory;
  bmm(batch: number, a: number, aStride: number, b: number, bStride: number, out: number, packA: number, packB: number, m: number, n: number, k: number, transA: number, transB: number): void;
}

/** batch-matmul.wat keeps its edge-tile scratch below this byte offset. */
const SCRATCH_BYTES = 128;

export interface MatMulProblem {
  batch: number;
  /** Batch items of each operand: `batch`, or 1 to broadcast it. */
  batchA: number;
  batchB: number;
  /** The product of op(A) (m x k) and op(B) (k x n), op transposing when the flag is set. */
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** Writes the products into `out` (batch x m x n, row-major); false when the kernel's memory cannot grow that far. */
export function runBatchMatMul(kernel: BatchMatMulExports, p: MatMulProblem, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
  const aOffset = SCRATCH_BYTES;
  const bOffset = aOffset + a.length * 4;
  const outOffset = bOffset + b.length * 4;
  // The packing buffers hold op(A) in panels of 4 rows and op(B) in panels of 8 columns, K rounded
  // up to 4; packing may read up to 12*K + 16 bytes past an operand (batch-matmul.wat, $pack).
  const kPad = Math.ceil(p.k / 4) * 4;
  const packAOffset = outOffset + out.length * 4;
  const packBOffset = packAOffset + Math.ceil(p.m / 4) * 4 * kPad * 4;
  const needed = packBOffset + Math.ceil(p.n / 8) * 8 * kPad * 4 + 12 * p.k + 16;
  if (!ensureBytes(kernel.memory, needed)) return false;
  const buffer = kernel.memory.buffer;
  new Float32Array(buffer, aOffset, a.length).set(a);
  new Float32Array(buffer, bOffset, b.length).set(b);
  const aStride = p.batchA === 1 ? 0 : p.m * p.k * 4;
  const bStride = p.batchB === 1 ? 0 : p.k * p.n * 4;
  kernel.bmm(p.batch, aOffset, aStride, bOffset, bStride, outOffset, packAOffset, packBOffset, p.m, p.n, p.k, Number(p.transposeA), Number(p.transposeB));
  out.set(new Float32Array(buffer, outOffset, out.length));
  return true;
}

/**
 * The problem `inputs` pose, or undefined for what the original kernel should keep: XNNPACK's case
 * (no batch, no transpose), non-float32 and mismatched shapes (its errors), and batch counts that
 * are neither equal nor 1, where tfjs's modulo indexing disagrees with its broadcast output shape.
 */
export function slowPathProblem(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): MatMulProblem | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA === 1 && batchB === 1 && !transposeA && !transposeB) return undefined;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const k = transposeA ? a0 : a1;
  if (k !== (transposeB ? b1 : b0)) return undefined;
  return { batch: Math.max(batchA, batchB), batchA, batchB, m: transposeA ? a1 : a0, n: transposeB ? b0 : b1, k, transposeA, transposeB };
}

/**
 * Registers the SIMD kernel in place of wasm's BatchMatMul, delegating the cases it leaves to the
 * original. Returns false, leaving the original alone, when the kernel cannot be instantiated.
 */
export function registerBatchMatMulKernel(): boolean {
  return replaceWasmKernel('BatchMatMul', (original) => {
    const kernel = instantiateKernel<BatchMatMulExports>(BATCH_MATMUL_WASM);
    return (args: KernelArgs): tf.TensorInfo => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const problem = slowPathProblem(a, b, transposeA, transposeB);
      if (problem === undefined) return original.kernelFunc(args) as tf.TensorInfo;
      const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), problem.m, problem.n];
      const fill = ([as, bs]: Float32Array[], out: Float32Array) => runBatchMatMul(kernel, problem, as!, bs!, out);
      return filledOutput(args.backend as unknown as WasmBackend, outShape, 'float32', [a, b], fill) ?? (original.kernelFunc(args) as tf.TensorInfo);
    };
  });
}
