/**
 * A plain-JS UnsortedSegmentSum kernel: the gradient of `tf.gather`, i.e. of every embedding lookup.
 * wasm has no such kernel at all, and the cpu backend's loops over every segment (4.1 s and about
 * 400 MB of garbage per 30522x256 embedding gradient, feasibility.md §2); one pass over the rows does it.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface DataBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
}

/** Sums rows of `x` into `numSegments` buckets; ids outside [0, numSegments) are dropped, as in TF. */
export function segmentSumValues(x: Float32Array | Int32Array, ids: ArrayLike<number>, inner: number, out: Float32Array | Int32Array, numSegments: number): void {
  out.fill(0);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) out[to + j]! += x[from + j]!;
  }
}

function outputShape(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): number[] {
  return [numSegments, ...x.shape.slice(segmentIds.shape.length)];
}

function innerSize(x: tf.TensorInfo, segmentIds: tf.TensorInfo): number {
  return x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
}

function wasmKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const wasm = backend as unknown as DataBackend & {
    makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
    typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
  };
  // readSync copies out of the heap, so growing the heap in makeOutput cannot invalidate them.
  const xv = wasm.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
  const out = wasm.makeOutput(outputShape(x, segmentIds, numSegments), x.dtype);
  segmentSumValues(xv, ids, innerSize(x, segmentIds), wasm.typedArrayFromHeap(out), numSegments);
  return out;
}

function cpuKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const cpu = backend as unknown as DataBackend & {
    makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
  };
  const xv = cpu.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = cpu.readSync(segmentIds.dataId) as Int32Array;
  const shape = outputShape(x, segmentIds, numSegments);
  const out = x.dtype === 'int32' ? new Int32Array(shape.reduce((a, b) => a * b, 1)) : new Float32Array(shape.reduce((a, b) => a * b, 1));
  segmentSumValues(xv, ids, innerSize(x, segmentIds), out, numSegments);
  return cpu.makeTensorInfo(shape, x.dtype, out);
}

/** Installs the JS kernel for `backendName` ('wasm' or 'cpu'), replacing any built-in one. */
export function registerSegmentSumKernel(backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName) !== undefined) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: backendName === 'wasm' ? wasmKernel : cpuKernel });
}
