/** The elementary layers every module is built from, reading their parameters by HF name. */
import * as tf from '@tensorflow/tfjs';
import { geluWithDerivative } from '../backend/gelu-kernel.ts';
import { floatValues, tensorFromCopy } from '../backend/host-values.ts';
import type { ParamSet } from './params.ts';

/**
 * HF `nn.Linear` named `prefix`: x [..., in] @ weight [in, out] (+ bias). Folded to 2-D so the matmul
 * takes XNNPACK's path on wasm; the bias is used if the model has one under that name.
 */
export function linear(params: ParamSet, prefix: string, x: tf.Tensor): tf.Tensor {
  const inFeatures = x.shape[x.rank - 1]!;
  const weight = params.get(`${prefix}.weight`);
  if (weight.shape[0] !== inFeatures) throw new Error(`${prefix}.weight: input of shape [${x.shape}] does not match the weight's [in, out] shape [${weight.shape}]`);
  let y = tf.matMul(x.reshape([-1, inFeatures]), weight);
  if (params.has(`${prefix}.bias`)) y = y.add(params.get(`${prefix}.bias`));
  return y.reshape([...x.shape.slice(0, -1), weight.shape[1]!]);
}

/**
 * Several HF Linears reading the same input (q/k/v, gate/up), one matmul each. Not one matmul over
 * the weights side by side: on wasm, splitting its output (and concatenating the gradients back)
 * runs as JS copies, and for the demo LM's q/k/v that split alone took 11 ms where the two extra
 * matmuls took 3.5 ms.
 */
export function linears(params: ParamSet, prefixes: readonly string[], x: tf.Tensor): tf.Tensor[] {
  return prefixes.map((prefix) => linear(params, prefix, x));
}

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/**
 * x / sqrt(mean(x^2) + eps) over the last axis, centered first when `center` (LayerNorm) or not
 * (RMSNorm), with a hand-written gradient: autodiff through the moments takes about twice the
 * kernels, and on wasm every kernel is a full pass over the activations.
 */
function normalize(x: tf.Tensor, eps: number, center: boolean): tf.Tensor {
  const fn = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const centered = center ? input.sub(input.mean(-1, true)) : input;
    const inverseRms = centered.square().mean(-1, true).add(eps).rsqrt();
    const normalized = centered.mul(inverseRms);
    save([normalized, inverseRms]);
    return {
      value: normalized,
      gradFunc: (dy: tf.Tensor, [n, inv]: tf.Tensor[]) => {
        // inv * (dy - n * mean(dy * n)), minus mean(dy) too when the mean was subtracted
        const projected = dy.sub(n!.mul(dy.mul(n!).mean(-1, true)));
        return inv!.mul(center ? projected.sub(dy.mean(-1, true)) : projected);
      },
    };
  }) as unknown as CustomGradFn);
  return fn(x);
}

/** HF `nn.LayerNorm` named `prefix`, over the last axis. */
export function layerNorm(params: ParamSet, prefix: string, x: tf.Tensor, eps: number): tf.Tensor {
  return normalize(x, eps, true).mul(params.get(`${prefix}.weight`)).add(params.get(`${prefix}.bias`));
}

/** LLaMA's RMSNorm: x / sqrt(mean(x^2) + eps) * weight, no centering, no bias. */
export function rmsNorm(params: ParamSet, name: string, x: tf.Tensor, eps: number): tf.Tensor {
  return normalize(x, eps, false).mul(params.get(name));
}

/**
 * Exact GELU (HF "gelu"): x * Phi(x) through erf, not the tanh approximation. The forward pass also
 * computes the derivative Phi(x) + x * phi(x) (trainer/backend/gelu-kernel.ts), so the gradient is
 * one multiplication.
 */
export const gelu = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const { y, derivative } = geluWithDerivative(floatValues(x));
  const slope = tensorFromCopy(derivative, x.shape);
  save([slope]);
  return {
    value: tensorFromCopy(y, x.shape),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => dy.mul(saved!),
  };
}) as unknown as CustomGradFn) as (x: tf.Tensor) => tf.Tensor;

/** SiLU (LLaMA's gate activation). */
export function silu(x: tf.Tensor): tf.Tensor {
  return x.mul(tf.sigmoid(x));
}

/** Where dropout takes its mask seeds; unset, each mask is seeded from Math.random. */
let dropoutSeeds: (() => number) | undefined;

/**
 * Runs `fn` with every dropout mask seeded by the next value of `nextSeed`, so a trainer that derives
 * the seeds from (run seed, step) draws the same masks again after a resume.
 */
export function withDropoutSeeds<T>(nextSeed: () => number, fn: () => T): T {
  const previous = dropoutSeeds;
  dropoutSeeds = nextSeed;
  try {
    return fn();
  } finally {
    dropoutSeeds = previous;
  }
}

/**
 * Draw `index` of a mulberry32 stream seeded by `seed`. Its state only advances by a constant, so any
 * draw can be computed directly: a pass over part of a tensor draws that part's values of the mask.
 */
function draw(seed: number, index: number): number {
  const state = (seed + Math.imul(index + 1, 0x6d2b79f5)) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * A dropout mask of `size` values: 1 / (1 - rate) with probability 1 - rate, else 0, from draws
 * `indexOf(0 .. size - 1)` of the stream seeded by `seed`. Built in plain JS because tf.dropout draws
 * through seedrandom and then spends four kernels turning the draws into a mask; this is one upload
 * and one multiply.
 */
export function dropoutMask(size: number, rate: number, seed: number, indexOf: (i: number) => number = (i) => i): Float32Array {
  const mask = new Float32Array(size);
  const kept = 1 / (1 - rate);
  const threshold = rate * 0x100000000;
  for (let i = 0; i < size; i++) mask[i] = draw(seed, indexOf(i)) >= threshold ? kept : 0;
  return mask;
}

/**
 * Where a tensor sits in the one its dropout mask is laid out for: it is rows [0, shape[axis]) along
 * `axis` of a tensor with `rows` rows there. A pass that computes only the leading rows (the last
 * Q-Former layer, queries only) then drops exactly what the full pass would.
 */
export interface LeadingRows {
  axis: number;
  rows: number;
}

/** Element i of a tensor of `shape` -> its index in the tensor `within` describes. */
function indexWithin(shape: readonly number[], within: LeadingRows): (i: number) => number {
  const inner = shape.slice(within.axis + 1).reduce((a, b) => a * b, 1);
  const chunk = shape[within.axis]! * inner;
  const stride = within.rows * inner;
  return (i) => Math.floor(i / chunk) * stride + (i % chunk);
}

export function dropout(x: tf.Tensor, rate: number, training: boolean, within?: LeadingRows): tf.Tensor {
  if (!training || rate <= 0) return x;
  const seed = dropoutSeeds?.() ?? Math.floor(Math.random() * 0x100000000);
  const partial = within !== undefined && within.rows !== x.shape[within.axis];
  return x.mul(tf.tensor(dropoutMask(x.size, rate, seed, partial ? indexWithin(x.shape, within) : undefined), x.shape));
}
