/**
 * AdamW with decoupled weight decay, written out because tf.train has none (feasibility.md §2).
 * The update is PyTorch's torch.optim.AdamW: p -= lr * wd * p, then the bias-corrected Adam step.
 * Weight decay skips biases, norms and every 1-D parameter, as LAVIS's get_optimizer_params does.
 * A parameter that got no gradient this step (a branch the loss never reaches) is left alone
 * entirely, moments and decay included, as PyTorch skips a parameter whose .grad is None.
 *
 * The moments live in the memory of a SIMD wasm kernel (trainer/backend/adamw-kernel.ts) and each
 * parameter's update is one call into it: done with TF.js ops it cost about ten kernel launches per
 * parameter, and as a JS loop in float64 ~12 ns per value (200 ms a step for 14 M parameters). The
 * arithmetic is float32 IEEE operations in a fixed order, so the result is the same on every backend
 * and a resumed run continues bit for bit.
 */
import type * as tf from '@tensorflow/tfjs';
import { AdamWKernel } from '../backend/adamw-kernel.ts';
import { floatValues, tensorFromCopy } from '../backend/host-values.ts';
import type { ParamSpec } from '../model/params.ts';
import type { AdamWConfig } from './config.ts';

export interface OptimizedParam {
  name: string;
  variable: tf.Variable;
  /** Weight decay applies (LAVIS: not to biases, norms or 1-D parameters). */
  decay: boolean;
}

export function decays(spec: ParamSpec): boolean {
  return spec.hfShape.length >= 2 && !spec.name.endsWith('.bias');
}

/** The first and second moments of one parameter, in its stored layout. */
export interface Moments {
  m: Float32Array;
  v: Float32Array;
}

export class AdamW {
  /** Updates applied so far (Adam's t, for the bias correction). */
  updates = 0;
  /** By parameter name: views into the kernel's memory, valid for the optimizer's lifetime. */
  readonly moments = new Map<string, Moments>();
  private readonly kernel: AdamWKernel;

  constructor(readonly params: readonly OptimizedParam[], readonly cfg: AdamWConfig) {
    this.kernel = new AdamWKernel(params.map((p) => p.variable.size));
    params.forEach((p, i) => this.moments.set(p.name, this.kernel.moments[i]!));
  }

  /** Sets the moments from saved values (stored layout); every parameter must be covered. */
  restore(updates: number, values: ReadonlyMap<string, Moments>): void {
    for (const p of this.params) {
      const saved = values.get(p.name);
      if (saved === undefined) throw new Error(`optimizer state has no moments for "${p.name}"`);
      if (saved.m.length !== p.variable.size || saved.v.length !== p.variable.size) {
        throw new Error(`optimizer state for "${p.name}": ${saved.m.length} moment values where the parameter has ${p.variable.size}`);
      }
      const moments = this.moments.get(p.name)!;
      moments.m.set(saved.m);
      moments.v.set(saved.v);
    }
    this.updates = updates;
  }

  /** One update with learning rate `lr`; `grads` by parameter name, in the parameters' stored layout. */
  apply(grads: ReadonlyMap<string, Float32Array>, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.cfg;
    this.updates += 1;
    const correction1 = 1 - beta1 ** this.updates;
    const correction2 = 1 - beta2 ** this.updates;
    const stepSize = lr / correction1;
    this.params.forEach((p, index) => {
      const g = grads.get(p.name);
      if (g === undefined) return;
      const keep = p.decay ? 1 - lr * weightDecay : 1;
      const values = this.kernel.update(index, floatValues(p.variable), g, { keep, beta1, beta2, stepSize, correction2, epsilon });
      const updated = tensorFromCopy(values, p.variable.shape);
      // assign() takes its own reference to the data: the wrapper must go, or every update leaks a copy.
      p.variable.assign(updated);
      updated.dispose();
    });
  }
}
