/**
 * Add, Sub and Multiply for wasm where one operand is broadcast along rows or columns of the other:
 * a bias added to every token, LayerNorm's mean and scale per row, a mask or a softmax's sum per row.
 * tfjs-backend-wasm 4.22.0 runs any broadcast on a generic loop at ~10 ns per element, ten times its
 * same-shape loop, and these were ~15% of a training step. Each case is x * m + c with per-row or
 * per-column m and c (layout.wat's scaleShift): exact, since x * 1, x * -1 and x + -0 are.
 * Same shapes, other broadcasts and other dtypes go to the original kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { LayoutKernel } from './layout-kernel.ts';
import { filledOutput, replaceWasmKernel, type WasmBackend } from './replace-kernel.ts';

export interface BroadcastPlan {
  /** One value of the small operand per row (of n elements), or one per column. */
  perRow: boolean;
  rows: number;
  n: number;
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** How `small` broadcasts over `big` (the output's shape) as rows or columns, or undefined. */
export function broadcastPlan(big: readonly number[], small: readonly number[]): BroadcastPlan | undefined {
  if (small.length > big.length || big.length === 0) return undefined;
  const size = tf.util.sizeFromShape([...big]);
  const padded = [...Array<number>(big.length - small.length).fill(1), ...small];
  const last = big[big.length - 1]!;
  if (padded[padded.length - 1] === 1 && same(padded.slice(0, -1), big.slice(0, -1))) return { perRow: true, rows: size / last, n: last };
  const lead = padded.findIndex((d) => d !== 1);
  if (lead === -1) return { perRow: false, rows: size / last, n: last };
  if (same(padded.slice(lead), big.slice(lead))) {
    const n = tf.util.sizeFromShape(big.slice(lead));
    return { perRow: false, rows: size / n, n };
  }
  return undefined;
}

type Op = 'Add' | 'Sub' | 'Multiply';

/** m and c of x * m + c for `op`, x the big operand, v the small one's values (one or `length`). */
export function coefficients(op: Op, smallFirst: boolean, v: Float32Array, length: number): { m: Float32Array; c: Float32Array } {
  const value = (k: number) => v[v.length === 1 ? 0 : k]!;
  const m = new Float32Array(length);
  const c = new Float32Array(length);
  for (let k = 0; k < length; k++) {
    if (op === 'Add') [m[k], c[k]] = [1, value(k)];
    else if (op === 'Multiply') [m[k], c[k]] = [value(k), -0];
    else if (smallFirst) [m[k], c[k]] = [-1, value(k)];
    else [m[k], c[k]] = [1, -value(k)];
  }
  return { m, c };
}

function register(op: Op): boolean {
  return replaceWasmKernel(op, (original) => {
    const layout = LayoutKernel.shared();
    return (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return original.kernelFunc(args) as tf.TensorInfo;
      const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const aFull = same(a.shape, outShape);
      const bFull = same(b.shape, outShape);
      if (aFull === bFull) return original.kernelFunc(args) as tf.TensorInfo;
      const [big, small] = aFull ? [a, b] : [b, a];
      const plan = broadcastPlan(outShape, small.shape);
      if (plan === undefined) return original.kernelFunc(args) as tf.TensorInfo;
      const backend = args.backend as unknown as WasmBackend;
      const { m, c } = coefficients(op, !aFull, backend.typedArrayFromHeap(small), plan.perRow ? plan.rows : plan.n);
      const fill = ([xs]: Float32Array[], out: Float32Array) => layout.scaleShift(xs!, plan.rows, plan.n, m, c, plan.perRow, out);
      return filledOutput(backend, outShape, 'float32', [big], fill) ?? (original.kernelFunc(args) as tf.TensorInfo);
    };
  });
}

/** Registers the three kernels; false where the SIMD module cannot load (the originals stay). */
export function registerBroadcastBinaryKernels(): boolean {
  return (['Add', 'Sub', 'Multiply'] as const).map(register).every(Boolean);
}
