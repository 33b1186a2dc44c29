/**
 * Gradients of one optimizer step on the host: each micro-batch's gradients are read once and summed
 * with weight 1/micro-batches (gradient accumulation), then clipped by their global norm, in plain
 * loops rather than a handful of TF.js kernels per parameter.
 */
import type * as tf from '@tensorflow/tfjs';

export type Gradients = Map<string, Float32Array>;

/** Adds `scale * grads` into `total` (by name). */
export function accumulate(total: Gradients, grads: Readonly<Record<string, tf.Tensor>>, scale: number): void {
  for (const [name, g] of Object.entries(grads)) {
    const values = g.dataSync() as Float32Array;
    const sum = total.get(name);
    if (sum === undefined) {
      total.set(name, scale === 1 ? Float32Array.from(values) : Float32Array.from(values, (x) => x * scale));
    } else {
      for (let i = 0; i < values.length; i++) sum[i]! += scale * values[i]!;
    }
  }
}

/** sqrt of the sum of squares of every gradient (summed in float64). */
export function globalNorm(grads: Gradients): number {
  let sum = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  return Math.sqrt(sum);
}

/**
 * Scales the gradients so their global norm is at most maxNorm (PyTorch's clip_grad_norm_:
 * coefficient maxNorm / (norm + 1e-6), never above 1). Returns the norm before clipping.
 */
export function clipByGlobalNorm(grads: Gradients, maxNorm: number | null): number {
  const norm = globalNorm(grads);
  if (maxNorm === null || !Number.isFinite(norm)) return norm;
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient >= 1) return norm;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i]! *= coefficient;
  return norm;
}
