/**
 * Loads a golden written by test/reference/make_goldens.py and compares TF.js results with it.
 * Tolerances: max relative error 1e-4 for outputs, 1e-3 for gradients.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type TensorLookup, mapLookup } from '../../trainer/model/hf-checkpoint.ts';
import type { ParamSet } from '../../trainer/model/params.ts';
import { type TensorData, readSafetensorsFile } from '../../trainer/weights.ts';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'reference', 'goldens');

export interface Golden {
  config: Record<string, any>;
  /** Parameters under their HF names. */
  params: TensorLookup;
  inputs: Map<string, TensorData>;
  outputs: Map<string, TensorData>;
  grads: Map<string, TensorData>;
}

export function loadGolden(name: string): Golden {
  const { tensors, metadata } = readSafetensorsFile(path.join(GOLDEN_DIR, `${name}.safetensors`));
  const group = (prefix: string) => new Map([...tensors].filter(([n]) => n.startsWith(prefix)).map(([n, t]) => [n.slice(prefix.length), t]));
  return {
    config: JSON.parse(metadata['config']!),
    params: mapLookup(group('param/')),
    inputs: group('input/'),
    outputs: group('output/'),
    grads: group('grad/'),
  };
}

export function tensorOf(data: TensorData | undefined, name = 'tensor'): tf.Tensor {
  assert.ok(data !== undefined, `golden has no ${name}`);
  return tf.tensor(data.values, [...data.shape], data.values instanceof Int32Array ? 'int32' : 'float32');
}

function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  return largest;
}

/** max |actual - expected| / max(max |expected|, floor) */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0): number {
  assert.equal(actual.length, expected.length);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

export function assertClose(name: string, actual: tf.Tensor, expected: TensorData | undefined, tolerance: number, floor = 0): number {
  assert.ok(expected !== undefined, `golden has no ${name}`);
  assert.deepEqual(actual.shape, [...expected.shape], `${name}: shape`);
  const error = relativeError(actual.dataSync(), expected.values, floor);
  assert.ok(error <= tolerance, `${name}: relative error ${error.toExponential(2)} > ${tolerance}`);
  return error;
}

/**
 * Gradients of `loss` with respect to every parameter (HF layout, HF names), checked against the
 * golden's `grad/<name>`. A parameter the loss does not reach must have an all-zero golden gradient.
 * Gradients 100x smaller than the largest (e.g. attention key biases, analytically zero) are
 * compared against 1% of the largest, since both sides only hold rounding noise there.
 */
export function assertGradients(params: ParamSet, loss: () => tf.Scalar, golden: Golden, tolerance = 1e-3): { worst: number; count: number } {
  const names = [...params.variables.keys()].filter((n) => golden.grads.has(n));
  const variables = names.map((n) => params.get(n));
  const { grads } = tf.variableGrads(loss, variables);
  const globalMax = Math.max(...names.map((n) => largestMagnitude(golden.grads.get(n)!.values)));
  let worst = 0;
  for (const [i, name] of names.entries()) {
    const expected = golden.grads.get(name)!;
    const grad = grads[variables[i]!.name];
    if (grad === undefined) {
      assert.ok(expected.values.every((v) => v === 0), `${name}: no gradient reached it, but the reference has a non-zero one`);
      continue;
    }
    const hfLayout = params.specs.get(name)!.linear ? grad.transpose() : grad;
    worst = Math.max(worst, assertClose(`grad ${name}`, hfLayout, expected, tolerance, 1e-2 * globalMax));
  }
  tf.dispose(grads);
  return { worst, count: names.length };
}
