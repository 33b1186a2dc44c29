/**
 * Gradients of one optimizer step: summed over micro-batches (gradient accumulation), then clipped by
 * their global norm. The caller owns the returned tensors.
 */
import * as tf from '@tensorflow/tfjs';

export type Gradients = Map<string, tf.Tensor>;

/** Adds `scale * grads` into `total` (by name), disposing what it replaces. */
export function accumulate(total: Gradients, grads: Readonly<Record<string, tf.Tensor>>, scale: number): void {
  for (const [name, g] of Object.entries(grads)) {
    const scaled = tf.tidy(() => (scale === 1 ? g.clone() : g.mul(scale)));
    const previous = total.get(name);
    if (previous === undefined) {
      total.set(name, scaled);
    } else {
      total.set(name, tf.tidy(() => previous.add(scaled)));
      previous.dispose();
      scaled.dispose();
    }
  }
}

/** sqrt of the sum of squares of every gradient. */
export function globalNorm(grads: Gradients): number {
  if (grads.size === 0) return 0;
  return tf.tidy(() => tf.addN([...grads.values()].map((g) => g.square().sum())).sqrt().dataSync()[0]!);
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
  for (const [name, g] of grads) {
    grads.set(name, tf.tidy(() => g.mul(coefficient)));
    g.dispose();
  }
  return norm;
}

export function disposeGradients(grads: Gradients): void {
  for (const g of grads.values()) g.dispose();
  grads.clear();
}
