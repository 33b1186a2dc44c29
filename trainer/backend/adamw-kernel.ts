/**
 * The SIMD AdamW update (adamw.wat) and the memory it works in: every parameter's two moments live
 * in the kernel's own memory for the optimizer's lifetime, so a step copies in only the parameter's
 * values and its gradient. The memory is sized once, up front, and never grows afterwards: the
 * moment views handed out stay valid.
 */
import { ADAMW_WASM } from './adamw-wasm.ts';
import { ensureBytes, instantiateKernel } from './wasm-kernel.ts';

interface AdamWExports {
  memory: WebAssembly.Memory;
  adamw(p: number, g: number, m: number, v: number, quads: number, keep: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, stepSize: number, invSqrtC2: number, eps: number): void;
}

/** The scalars of one update; the caller folds the step count into them. */
export interface AdamWScalars {
  /** 1 - lr * weight decay, or 1 where the parameter does not decay. */
  keep: number;
  beta1: number;
  beta2: number;
  /** lr / (1 - beta1^t). */
  stepSize: number;
  /** 1 - beta2^t. */
  correction2: number;
  epsilon: number;
}

const quadsOf = (size: number) => Math.ceil(size / 4);

export class AdamWKernel {
  private readonly exports: AdamWExports;
  /** Byte offsets of each parameter's m and v; the scratch for values and gradient sits at 0. */
  private readonly offsets: { m: number; v: number }[] = [];
  private readonly gradientOffset: number;
  readonly moments: { m: Float32Array; v: Float32Array }[];

  /** Room for the moments of parameters of these sizes; throws when they cannot fit in 4 GiB. */
  constructor(readonly sizes: readonly number[]) {
    const largest = Math.max(0, ...sizes.map(quadsOf)) * 16;
    this.gradientOffset = largest;
    let offset = 2 * largest;
    for (const size of sizes) {
      this.offsets.push({ m: offset, v: offset + quadsOf(size) * 16 });
      offset += 2 * quadsOf(size) * 16;
    }
    this.exports = instantiateKernel<AdamWExports>(ADAMW_WASM);
    if (!ensureBytes(this.exports.memory, offset)) {
      const total = sizes.reduce((a, b) => a + b, 0);
      throw new Error(`AdamW: the moments of ${total.toLocaleString('en')} parameters need ${(offset / 2 ** 30).toFixed(2)} GiB, more than the 4 GiB a wasm memory can hold`);
    }
    const buffer = this.exports.memory.buffer;
    this.moments = sizes.map((size, i) => ({ m: new Float32Array(buffer, this.offsets[i]!.m, size), v: new Float32Array(buffer, this.offsets[i]!.v, size) }));
  }

  /**
   * Updates parameter `index` from its current values and gradient; returns its new values, a view
   * that the next update overwrites.
   */
  update(index: number, values: ArrayLike<number>, gradient: ArrayLike<number>, s: AdamWScalars): Float32Array {
    const size = this.sizes[index]!;
    if (values.length !== size || gradient.length !== size) throw new Error(`AdamW: parameter ${index} has ${size} values; got ${values.length} values and ${gradient.length} gradients`);
    const buffer = this.exports.memory.buffer;
    const updated = new Float32Array(buffer, 0, size);
    updated.set(values);
    new Float32Array(buffer, this.gradientOffset, size).set(gradient);
    const { m, v } = this.offsets[index]!;
    this.exports.adamw(0, this.gradientOffset, m, v, quadsOf(size), s.keep, 1 - s.beta1, s.beta2, 1 - s.beta2, s.stepSize, 1 / Math.sqrt(s.correction2), s.epsilon);
    return updated;
  }
}
