/**
 * AdamW with decoupled weight decay, written out because tf.train has none (feasibility.md §2).
 * The update is PyTorch's torch.optim.AdamW: p -= lr * wd * p, then the bias-corrected Adam step.
 * Weight decay skips biases, norms and every 1-D parameter, as LAVIS's get_optimizer_params does.
 * A parameter that got no gradient this step (a branch the loss never reaches) is left alone
 * entirely, moments and decay included, as PyTorch skips a parameter whose .grad is None.
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
  m: tf.Variable;
  v: tf.Variable;
}

export class AdamW {
  /** Updates applied so far (Adam's t, for the bias correction). */
  updates: number;
  readonly moments = new Map<string, Moments>();

  constructor(readonly params: readonly OptimizedParam[], readonly cfg: AdamWConfig, updates = 0) {
    this.updates = updates;
    for (const p of params) {
      this.moments.set(p.name, { m: tf.variable(tf.zerosLike(p.variable), false), v: tf.variable(tf.zerosLike(p.variable), false) });
    }
  }

  /** Sets the moments from saved values (stored layout); every parameter must be covered. */
  restore(updates: number, values: ReadonlyMap<string, { m: tf.Tensor; v: tf.Tensor }>): void {
    for (const p of this.params) {
      const saved = values.get(p.name);
      if (saved === undefined) throw new Error(`optimizer state has no moments for "${p.name}"`);
      const own = this.moments.get(p.name)!;
      if (!tf.util.arraysEqual(saved.m.shape, own.m.shape) || !tf.util.arraysEqual(saved.v.shape, own.v.shape)) {
        throw new Error(`optimizer state for "${p.name}": moments of shape [${saved.m.shape}] where the parameter is [${own.m.shape}]`);
      }
      own.m.assign(saved.m);
      own.v.assign(saved.v);
    }
    this.updates = updates;
  }

  /** One update with learning rate `lr`; `grads` by parameter name. */
  apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.cfg;
    this.updates += 1;
    const correction1 = 1 - beta1 ** this.updates;
    const correction2 = 1 - beta2 ** this.updates;
    for (const p of this.params) {
      const g = grads.get(p.name);
      if (g === undefined) continue;
      const { m, v } = this.moments.get(p.name)!;
      tf.tidy(() => {
        const decayed = p.decay && weightDecay > 0 ? p.variable.mul(1 - lr * weightDecay) : p.variable;
        const m1 = m.mul(beta1).add(g.mul(1 - beta1));
        const v1 = v.mul(beta2).add(g.square().mul(1 - beta2));
        const denominator = v1.div(correction2).sqrt().add(epsilon);
        p.variable.assign(decayed.sub(m1.div(denominator).mul(lr / correction1)));
        m.assign(m1);
        v.assign(v1);
      });
    }
  }

  dispose(): void {
    for (const { m, v } of this.moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.moments.clear();
  }
}
