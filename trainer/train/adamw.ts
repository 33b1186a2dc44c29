/**
 * AdamW with decoupled weight decay, written out because tf.train has none (feasibility.md §2).
 * The update is PyTorch's torch.optim.AdamW: p -= lr * wd * p, then the bias-corrected Adam step.
 * Weight decay skips biases, norms and every 1-D parameter, as LAVIS's get_optimizer_params does.
 * A parameter that got no gradient this step (a branch the loss never reaches) is left alone
 * entirely, moments and decay included, as PyTorch skips a parameter whose .grad is None.
 *
 * The moments live in host Float32Arrays and the update runs as one JS loop per parameter: done
 * with TF.js ops it cost about ten kernel launches per parameter, a third of a demo step's kernels,
 * for arithmetic that takes milliseconds. Each value is rounded to float32 once per update, so the
 * result is the same on every backend and a resumed run continues bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
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
  readonly moments = new Map<string, Moments>();

  constructor(readonly params: readonly OptimizedParam[], readonly cfg: AdamWConfig) {
    for (const p of params) this.moments.set(p.name, { m: new Float32Array(p.variable.size), v: new Float32Array(p.variable.size) });
  }

  /** Sets the moments from saved values (stored layout); every parameter must be covered. */
  restore(updates: number, values: ReadonlyMap<string, Moments>): void {
    for (const p of this.params) {
      const saved = values.get(p.name);
      if (saved === undefined) throw new Error(`optimizer state has no moments for "${p.name}"`);
      if (saved.m.length !== p.variable.size || saved.v.length !== p.variable.size) {
        throw new Error(`optimizer state for "${p.name}": ${saved.m.length} moment values where the parameter has ${p.variable.size}`);
      }
      this.moments.set(p.name, { m: Float32Array.from(saved.m), v: Float32Array.from(saved.v) });
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
    for (const p of this.params) {
      const g = grads.get(p.name);
      if (g === undefined) continue;
      const { m, v } = this.moments.get(p.name)!;
      const values = p.variable.dataSync() as Float32Array;
      const out = new Float32Array(values.length);
      const keep = p.decay ? 1 - lr * weightDecay : 1;
      for (let i = 0; i < values.length; i++) {
        const gi = g[i]!;
        const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * gi);
        const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi);
        out[i] = values[i]! * keep - (stepSize * mi) / (Math.sqrt(vi / correction2) + epsilon);
      }
      // assign() takes its own reference to the data: the wrapper must go, or every update leaks a copy.
      const updated = tf.tensor(out, p.variable.shape, 'float32');
      p.variable.assign(updated);
      updated.dispose();
    }
  }
}
