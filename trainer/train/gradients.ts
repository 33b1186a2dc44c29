/**
 * Gradients of one optimizer step on the host: each micro-batch's gradients are read once and summed
 * with weight 1/micro-batches (gradient accumulation), then clipped by their global norm, in plain
 * loops rather than a handful of TF.js kernels per parameter.
 */
import type * as tf from '@tensorflow/tfjs';
import { floatValues } from '../backend/host-values.ts';

export type Gradients = Map<string, Float32Array>;

/**
 * One step's gradient sum, in host arrays kept from step to step: a fresh 57 MB of arrays per step
 * (14 M parameters) cost more in page faults than the sum itself.
 */
export class GradientSum {
  private readonly buffers: Gradients = new Map();
  /** The sum so far: only parameters that got a gradient since begin(). */
  total: Gradients = new Map();

  /** Starts a new sum, overwriting the arrays of the last one. */
  begin(): void {
    this.total = new Map();
  }

  /** Adds `scale * grads` (by name). */
  add(grads: Readonly<Record<string, tf.Tensor>>, scale: number): void {
    for (const [name, g] of Object.entries(grads)) {
      const values = floatValues(g);
      const sum = this.total.get(name);
      if (sum !== undefined) {
        for (let i = 0; i < values.length; i++) sum[i]! += scale * values[i]!;
        continue;
      }
      let buffer = this.buffers.get(name);
      if (buffer?.length !== values.length) this.buffers.set(name, (buffer = new Float32Array(values.length)));
      if (scale === 1) buffer.set(values);
      else for (let i = 0; i < values.length; i++) buffer[i] = scale * values[i]!;
      this.total.set(name, buffer);
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
