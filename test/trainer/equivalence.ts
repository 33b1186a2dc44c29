/**
 * Checks that a shortcut (computing only the rows the output needs) gives what the full computation
 * gives: the same values and the same parameter gradients, up to float rounding.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { type ParamSet, type ValueSource, randomInit } from '../../trainer/model/params.ts';
import { relativeError } from './golden.ts';

/** Float rounding of the same sums taken over differently blocked matmuls. */
export const ROUNDING = 1e-5;

/** Random weights 10x HF's init, so attention is far from uniform and every position matters. */
export function wideInit(seed: number): ValueSource {
  const init = randomInit(seed);
  return (spec, index) => tf.tidy(() => init(spec, index).mul(spec.init.kind === 'normal' ? 10 : 1));
}

export function assertSameValues(name: string, actual: tf.Tensor, expected: tf.Tensor, tolerance = ROUNDING): void {
  assert.deepEqual(actual.shape, expected.shape, `${name}: shape`);
  const error = relativeError(actual.dataSync(), expected.dataSync());
  assert.ok(error <= tolerance, `${name}: relative error ${error.toExponential(2)} > ${tolerance}`);
}

/**
 * Every trainable parameter's gradient under `shortcut` and under `full`. A parameter only one of them
 * reaches must get an all-zero gradient from the other (the full pass computes rows the output drops).
 * Entries far below the largest gradient are compared against 1% of it: both sides hold noise there.
 */
export function assertSameGradients(params: ParamSet, shortcut: () => tf.Scalar, full: () => tf.Scalar, tolerance = ROUNDING): void {
  const trainable = [...params.variables].filter(([, v]) => v.trainable);
  const gradients = (loss: () => tf.Scalar) => {
    const { value, grads } = tf.variableGrads(loss, trainable.map(([, v]) => v));
    const host = new Map(trainable.map(([name, v]) => [name, grads[v.name] && Float32Array.from(grads[v.name]!.dataSync())]));
    tf.dispose([value, ...Object.values(grads)]);
    return host;
  };
  const actual = gradients(shortcut);
  const expected = gradients(full);
  const largest = Math.max(...[...expected.values()].map((g) => (g ?? new Float32Array()).reduce((m, x) => Math.max(m, Math.abs(x)), 0)));
  assert.ok(largest > 0, 'the full pass gives every parameter a zero gradient');
  for (const [name] of trainable) {
    const [a, e] = [actual.get(name), expected.get(name)];
    if (a === undefined || e === undefined) {
      assert.ok((a ?? e ?? []).every((x) => x === 0), `${name}: reached by one pass only, with a non-zero gradient`);
      continue;
    }
    const error = relativeError(a, e, 1e-2 * largest);
    assert.ok(error <= tolerance, `grad ${name}: relative error ${error.toExponential(2)} > ${tolerance}`);
  }
}
