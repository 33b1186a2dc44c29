/**
 * Moving float32 tensors to and from host arrays with as few copies as the backend allows. A step's
 * optimizer moves every trainable value (57 MB for 14 M parameters) out and back in: each extra
 * copy into a freshly allocated array costs tens of milliseconds, mostly in page faults.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from './replace-kernel.ts';

const onWasm = () => tf.getBackend() === 'wasm';

/**
 * The tensor's values: on wasm a view into its heap, valid only until the next TF.js operation
 * (which may grow the heap and detach it, or reuse the memory); elsewhere dataSync()'s array.
 */
export function floatValues(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  if (onWasm()) return (tf.backend() as unknown as WasmBackend).typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}

/** A new tensor holding a copy of `values`, which the caller may overwrite afterwards. */
export function tensorFromCopy(values: Float32Array, shape: number[]): tf.Tensor {
  // wasm's write copies into its heap; cpu and node keep the array they are given.
  return tf.tensor(onWasm() ? values : values.slice(), shape, 'float32');
}
