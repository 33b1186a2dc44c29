/**
 * Picks the TF.js backend: native TensorFlow (GPU, then CPU) when its optional package is installed,
 * else wasm with the fixes measured in feasibility.md §2 (JS UnsortedSegmentSum, two threads in
 * Node through the shim) plus an Identity kernel that shares memory instead of copying, the
 * project's SIMD BatchMatMul for every float32 product on the backend's threads (where it fails to
 * load: matmul gradients without transposed operands, which wasm would run on a scalar loop), SIMD
 * matrix transposes, leading-axis sums and row or column broadcasts in Add, Sub and Multiply (each
 * original stays if its module fails to load), else cpu with the JS UnsortedSegmentSum. npm drops the native packages silently when their binary download fails, so
 * the caller prints the returned `description` to say what it actually got.
 */
import * as tf from '@tensorflow/tfjs';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { batchMatMulCompiles, registerBatchMatMulKernel } from './backend/batch-matmul.ts';
import { registerBroadcastBinaryKernels } from './backend/broadcast-binary.ts';
import { registerSumLeadingAxesKernel } from './backend/sum-leading-axes.ts';
import { registerTransposeKernel } from './backend/transpose.ts';
import { registerMatMulGradient } from './backend/matmul-gradient.ts';
import { registerSegmentSumKernel } from './backend/segment-sum.ts';
import { registerSharedIdentity } from './backend/shared-identity.ts';
import { installWasmThreadShim } from './backend/wasm-threads.ts';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Force one backend; default tries them in the order of `BackendName`. */
  backend?: BackendName;
  /** wasm threads; default 2 (the machine class has 2 cores; more oversubscribes). 1 disables the shim. */
  threads?: number;
}

export interface BackendChoice {
  name: BackendName;
  threads: number;
  /** Hard memory ceiling for tensors, if the backend has one (wasm: 4 GiB heap). */
  heapLimitBytes?: number;
  /** One line for the log: which backend, how many threads, and why if it fell back. */
  description: string;
}

/** The wasm heap maximum of tfjs-backend-wasm 4.22.0 (getHeapMax), measured in feasibility.md §2. */
export const WASM_HEAP_LIMIT_BYTES = 4294901760;

const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** Imports an optional native package; the specifier is a variable so tsc does not require it. */
async function importNative(which: 'tensorflow-gpu' | 'tensorflow'): Promise<boolean> {
  const specifier = NATIVE_PACKAGES[which];
  try {
    await import(specifier);
  } catch {
    return false;
  }
  // Both packages register their backend under the name 'tensorflow'.
  return tf.setBackend('tensorflow');
}

/** The threaded build when `threads` > 1, with XNNPACK's pool of `poolThreads`. */
async function setWasm(threads: number, poolThreads: number): Promise<boolean> {
  tfWasm.setThreadsCount(poolThreads);
  if (threads <= 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return tf.setBackend('wasm');
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  let shim: ReturnType<typeof installWasmThreadShim> | undefined;
  try {
    shim = installWasmThreadShim();
    return await tf.setBackend('wasm');
  } catch {
    // The shim leans on internals of one tfjs-backend-wasm version; any failure means: no threads.
    return false;
  } finally {
    shim?.restore();
  }
}

async function chooseWasm(threads: number): Promise<BackendChoice | undefined> {
  // With the project's matmul taking every product on its own threads, XNNPACK's pool is left the
  // small elementwise work, and a second pool thread, spinning between operations, only took the
  // second core from the matmul's worker (forward + backward 868 against 898 ms, median of five
  // alternated pairs). Without the kernel XNNPACK runs the products and keeps every thread.
  const poolThreads = batchMatMulCompiles() ? 1 : threads;
  let ok = await setWasm(threads, poolThreads);
  let actual = threads;
  let note = '';
  if (!ok && threads > 1) {
    note = ` (the ${threads}-thread shim failed; fell back to 1 thread)`;
    actual = 1;
    ok = await setWasm(1, 1);
  }
  if (!ok) return undefined;
  registerSegmentSumKernel('wasm');
  registerSharedIdentity();
  registerTransposeKernel();
  registerSumLeadingAxesKernel();
  registerBroadcastBinaryKernels();
  const simdMatMul = registerBatchMatMulKernel(actual);
  // Without the kernel, transposed operands would run on wasm's scalar loop: transpose explicitly.
  if (!simdMatMul) registerMatMulGradient();
  const batchMatMul = simdMatMul ? `SIMD matmul on ${actual} thread${actual === 1 ? '' : 's'}` : 'batched matmul on the scalar loop: its SIMD kernel failed to load';
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return {
    name: 'wasm',
    threads: actual,
    heapLimitBytes: WASM_HEAP_LIMIT_BYTES,
    description: `wasm (${simd ? 'SIMD' : 'no SIMD: slow'}, ${actual} thread${actual === 1 ? '' : 's'}, 4 GiB heap)${note}, ${batchMatMul}`,
  };
}

async function chooseCpu(): Promise<BackendChoice> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the TF.js cpu backend failed to initialise');
  registerSegmentSumKernel('cpu');
  return { name: 'cpu', threads: 1, description: 'cpu (plain JS, 1 thread: slow, a correctness fallback)' };
}

/** Initialises and returns the backend; with `backend` set, that one or an error saying why not. */
export async function initBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  const threads = options.threads ?? 2;
  const wanted = options.backend;
  const skipped: string[] = [];
  for (const native of ['tensorflow-gpu', 'tensorflow'] as const) {
    if (wanted !== undefined && wanted !== native) continue;
    if (await importNative(native)) {
      return { name: native, threads: 0, description: `${native} (${NATIVE_PACKAGES[native]}, native TensorFlow)` };
    }
    if (wanted === native) throw new Error(`backend ${native} requested but ${NATIVE_PACKAGES[native]} is not installed (npm drops it silently when its libtensorflow download fails)`);
    skipped.push(`${NATIVE_PACKAGES[native]} not installed`);
  }
  if (wanted === undefined || wanted === 'wasm') {
    const choice = await chooseWasm(threads);
    if (choice !== undefined) return { ...choice, description: `${choice.description}; ${skipped.join(', ')}`.replace(/; $/, '') };
    if (wanted === 'wasm') throw new Error('backend wasm requested but it failed to initialise (see the warning above)');
    skipped.push('wasm failed to initialise');
  }
  const cpu = await chooseCpu();
  return skipped.length > 0 && wanted === undefined ? { ...cpu, description: `${cpu.description}; ${skipped.join(', ')}` } : cpu;
}

const GiB = 1024 ** 3;

/**
 * Refuses a job whose estimated peak exceeds the backend's heap. On wasm, running out of memory inside
 * XNNPACK does not throw: the kernel returns without writing its output (silent garbage), so this
 * check must come before allocating.
 */
export function assertFitsMemory(choice: BackendChoice, estimateBytes: number, what: string, suggestion: string): void {
  if (choice.heapLimitBytes === undefined || estimateBytes <= choice.heapLimitBytes) return;
  throw new Error(
    `${what} needs about ${(estimateBytes / GiB).toFixed(2)} GiB, more than the ${choice.name} heap of ${(choice.heapLimitBytes / GiB).toFixed(2)} GiB; ${suggestion}`,
  );
}
