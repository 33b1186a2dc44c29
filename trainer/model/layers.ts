/** The elementary layers every module is built from, reading their parameters by HF name. */
import * as tf from '@tensorflow/tfjs';
import type { ParamSet } from './params.ts';

/**
 * HF `nn.Linear` named `prefix`: x [..., in] @ weight [in, out] (+ bias). Folded to 2-D so the matmul
 * takes XNNPACK's path on wasm; the bias is used if the model has one under that name.
 */
export function linear(params: ParamSet, prefix: string, x: tf.Tensor): tf.Tensor {
  const weight = params.get(`${prefix}.weight`);
  const inFeatures = x.shape[x.rank - 1]!;
  if (weight.shape[0] !== inFeatures) {
    throw new Error(`${prefix}.weight: input of shape [${x.shape}] does not match the weight's [in, out] shape [${weight.shape}]`);
  }
  let y = tf.matMul(x.reshape([-1, inFeatures]), weight);
  if (params.has(`${prefix}.bias`)) y = y.add(params.get(`${prefix}.bias`));
  return y.reshape([...x.shape.slice(0, -1), weight.shape[1]!]);
}

/** HF `nn.LayerNorm` named `prefix`, over the last axis. */
export function layerNorm(params: ParamSet, prefix: string, x: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).mul(variance.add(eps).rsqrt()).mul(params.get(`${prefix}.weight`)).add(params.get(`${prefix}.bias`));
}

/** LLaMA's RMSNorm: x / sqrt(mean(x^2) + eps) * weight, no centering, no bias. */
export function rmsNorm(params: ParamSet, name: string, x: tf.Tensor, eps: number): tf.Tensor {
  return x.mul(x.square().mean(-1, true).add(eps).rsqrt()).mul(params.get(name));
}

/** Exact GELU (HF "gelu"): x * Phi(x) through erf, not the tanh approximation. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);
}

/** SiLU (LLaMA's gate activation). */
export function silu(x: tf.Tensor): tf.Tensor {
  return x.mul(tf.sigmoid(x));
}

/** Where dropout takes its mask seeds; unset, TF.js seeds each mask from Math.random. */
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

export function dropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  return training && rate > 0 ? tf.dropout(x, rate, undefined, dropoutSeeds?.()) : x;
}
