/** Swapping one of tfjs-backend-wasm's kernels for the project's own, keeping the original as fallback. */
import * as tf from '@tensorflow/tfjs';

/** Outcome of the first replacement of each kernel: a backend may be initialised again. */
const replaced = new Map<string, boolean>();

/**
 * Registers `make(original)` as wasm's `name` kernel, keeping the original's setup (which binds its
 * C entry point whenever a wasm backend initialises). False, leaving the original alone, when wasm
 * has no such kernel or `make` throws (e.g. the engine lacks wasm SIMD for the replacement's module).
 * Later calls for the same kernel return the first outcome and change nothing.
 */
export function replaceWasmKernel(name: string, make: (original: tf.KernelConfig) => tf.KernelFunc): boolean {
  const earlier = replaced.get(name);
  if (earlier !== undefined) return earlier;
  const original = tf.getKernel(name, 'wasm');
  let kernelFunc: tf.KernelFunc | undefined;
  try {
    if (original !== undefined) kernelFunc = make(original);
  } catch {
    kernelFunc = undefined;
  }
  if (original !== undefined && kernelFunc !== undefined) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...original, kernelFunc });
  }
  replaced.set(name, kernelFunc !== undefined);
  return kernelFunc !== undefined;
}

/** The parts of tfjs-backend-wasm's backend the project's kernels use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  incRef(dataId: object): void;
  disposeData(dataId: object): void;
}

/**
 * A new output of `shape` that `fill` writes, given heap views of `inputs` and of the output taken
 * after the output is allocated (the allocation may grow the heap and detach earlier views); the
 * views are typed float32 whatever the dtype, for byte copies. Undefined, the output freed, when
 * `fill` returns false (its memory could not take the problem).
 */
export function filledOutput(backend: WasmBackend, shape: number[], dtype: tf.DataType, inputs: readonly tf.TensorInfo[], fill: (views: Float32Array[], out: Float32Array) => boolean): tf.TensorInfo | undefined {
  const out = backend.makeOutput(shape, dtype);
  if (fill(inputs.map((t) => backend.typedArrayFromHeap(t)), backend.typedArrayFromHeap(out))) return out;
  backend.disposeData(out.dataId);
  return undefined;
}
