/**
 * The SIMD matmul of batch-matmul.wat in place of tfjs-backend-wasm 4.22.0's BatchMatMul, for every
 * float32 product. The original runs 2-D untransposed products on XNNPACK (~35 GFLOP/s on this
 * machine's two threads, repacking a fresh weight operand each call) and everything else (any batch
 * above 1 or a transposed operand: every attention product and every gradient) on
 * `slow_batch_matmul`, a scalar loop at about 1 GFLOP/s. This kernel reads the operands and writes
 * the product on the tfjs heap itself, no copies, and splits a product across the backend's threads
 * (KernelThreads): by batch items, else by rows or columns.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_MATMUL_UNSHARED_WASM, BATCH_MATMUL_WASM } from './batch-matmul-wasm.ts';
import { KernelThreads } from './kernel-threads.ts';
import { replaceWasmKernel, type WasmBackend } from './replace-kernel.ts';

type KernelArgs = Parameters<tf.KernelFunc>[0];

export interface MatMulProblem {
  batch: number;
  /** Batch items of each operand: `batch`, or 1 to broadcast it. */
  batchA: number;
  batchB: number;
  /** The product of op(A) (m x k) and op(B) (k x n), op transposing when the flag is set. */
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** One thread's share of a problem: a range of batch items, and of their rows and columns. */
export interface MatMulPart {
  batchStart: number;
  batchCount: number;
  rowStart: number;
  rows: number;
  columnStart: number;
  columns: number;
}

/** Below this many multiply-adds a second thread's wake-up costs more than it saves. */
const MIN_SPLIT_MACS = 1 << 17;
/** Bytes of scratch each part needs for its edge tiles (batch-matmul.wat, $tile). */
const SCRATCH_BYTES = 128;
/**
 * Cache blocking (batch-matmul.wat, bmm): K in blocks of 256 keeps a packed 8-column panel of B at
 * 8 KB in L1; 128 rows of A a block keep its packed block at 128 KB in L2. Multiples of 4.
 */
const K_BLOCK = 256;
const M_BLOCK = 128;

/** `count` units in `parts` contiguous ranges as even as whole units allow: [start, length] each. */
function evenRanges(count: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < parts; i++) {
    const start = Math.floor((count * i) / parts);
    ranges.push([start, Math.floor((count * (i + 1)) / parts) - start]);
  }
  return ranges.filter(([, length]) => length > 0);
}

/**
 * The problem cut into at most `parts` parts that cover it exactly once: by batch items when there
 * are several, else by rows in whole 4-row tiles, or by columns in whole 8-column panels when there
 * are more columns than rows (each part packs the other operand whole, so the smaller is repeated).
 */
export function splitProblem(p: MatMulProblem, parts: number): MatMulPart[] {
  const whole: MatMulPart = { batchStart: 0, batchCount: p.batch, rowStart: 0, rows: p.m, columnStart: 0, columns: p.n };
  if (parts <= 1 || p.batch * p.m * p.n * p.k < MIN_SPLIT_MACS) return [whole];
  if (p.batch > 1) return evenRanges(p.batch, parts).map(([batchStart, batchCount]) => ({ ...whole, batchStart, batchCount }));
  if (p.n <= p.m) {
    return evenRanges(Math.ceil(p.m / 4), parts).map(([start, length]) => ({ ...whole, rowStart: start * 4, rows: Math.min(length * 4, p.m - start * 4) }));
  }
  return evenRanges(Math.ceil(p.n / 8), parts).map(([start, length]) => ({ ...whole, columnStart: start * 8, columns: Math.min(length * 8, p.n - start * 8) }));
}

/** Packed blocks of a part: one block of op(A)'s rows in 4s and op(B)'s columns in 8s, by one block of K rounded up to 4. */
function packBytes(p: MatMulProblem, part: MatMulPart): { a: number; b: number } {
  const kPad = Math.min(Math.ceil(p.k / 4) * 4, K_BLOCK);
  return { a: Math.ceil(Math.min(part.rows, M_BLOCK) / 4) * 4 * kPad * 4, b: Math.ceil(part.columns / 8) * 8 * kPad * 4 };
}

/** Byte offsets on the heap: the operands, the output, and per part its scratch and packing buffers. */
interface Addresses {
  a: number;
  b: number;
  out: number;
  workspaces: number[];
}

/** The kernel's arguments for one part (batch-matmul.wat, bmm). */
function partArguments(p: MatMulProblem, part: MatMulPart, at: Addresses, index: number): number[] {
  const aRow = p.transposeA ? 4 : p.k * 4;
  const aK = p.transposeA ? p.m * 4 : 4;
  const bColumn = p.transposeB ? p.k * 4 : 4;
  const bK = p.transposeB ? 4 : p.n * 4;
  const aStride = p.batchA === 1 ? 0 : p.m * p.k * 4;
  const bStride = p.batchB === 1 ? 0 : p.k * p.n * 4;
  const outStride = p.m * p.n * 4;
  const scratch = at.workspaces[index]!;
  const packA = scratch + SCRATCH_BYTES;
  return [
    part.batchCount,
    at.a + part.batchStart * aStride + part.rowStart * aRow,
    aStride,
    aRow,
    aK,
    at.b + part.batchStart * bStride + part.columnStart * bColumn,
    bStride,
    bColumn,
    bK,
    at.out + part.batchStart * outStride + part.rowStart * p.n * 4 + part.columnStart * 4,
    p.n * 4,
    outStride,
    packA,
    packA + packBytes(p, part).a,
    scratch,
    part.rows,
    part.columns,
    p.k,
    K_BLOCK,
    M_BLOCK,
  ];
}

/**
 * The problem `inputs` pose, or undefined for what the original kernel should keep: non-float32,
 * mismatched or empty shapes (its errors and its empty outputs), and batch counts that are neither
 * equal nor 1, where tfjs's modulo indexing disagrees with its broadcast output shape.
 */
export function matMulProblem(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): MatMulProblem | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const k = transposeA ? a0 : a1;
  if (k !== (transposeB ? b1 : b0)) return undefined;
  const problem = { batch: Math.max(batchA, batchB), batchA, batchB, m: transposeA ? a1 : a0, n: transposeB ? b0 : b1, k, transposeA, transposeB };
  return problem.batch * problem.m * problem.n === 0 ? undefined : problem;
}

/** The parts of the wasm module's runtime the kernel reaches into. */
interface WasmRuntime {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(offset: number): void;
}

type HeapBackend = WasmBackend & { wasm: WasmRuntime; dataIdMap: { get(dataId: object): { memoryOffset: number } } };

/** The kernel bound to one backend's heap, with a workspace per thread kept from call to call. */
class HeapMatMul {
  private readonly memory: WebAssembly.Memory;
  private readonly threads: KernelThreads;
  private readonly workspaces: { offset: number; bytes: number }[] = [];

  constructor(private readonly backend: HeapBackend, threadCount: number) {
    const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
    if (memory === undefined) throw new Error('tfjs-backend-wasm exposes no memory');
    this.memory = memory;
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const modules = compiledModules()!;
    this.threads = new KernelThreads(shared ? modules.shared : modules.unshared, memory, 'bmm', shared ? threadCount : 1);
  }

  private offset(t: tf.TensorInfo): number {
    return this.backend.dataIdMap.get(t.dataId).memoryOffset;
  }

  /** A workspace of at least `bytes` for part `index`, replacing a smaller one. */
  private workspace(index: number, bytes: number): number {
    const held = this.workspaces[index];
    if (held !== undefined && held.bytes >= bytes) return held.offset;
    if (held !== undefined) this.backend.wasm._free(held.offset);
    const grown = Math.max(bytes, Math.ceil((held?.bytes ?? 0) * 1.5));
    const offset = this.backend.wasm._malloc(grown);
    if (offset === 0) throw new Error(`BatchMatMul: the wasm heap could not supply ${grown} bytes of packing space`);
    this.workspaces[index] = { offset, bytes: grown };
    return offset;
  }

  /** The product as a new output, or undefined when packing could read past the end of the memory. */
  run(p: MatMulProblem, a: tf.TensorInfo, b: tf.TensorInfo, outShape: number[]): tf.TensorInfo | undefined {
    const aOffset = this.offset(a);
    const bOffset = this.offset(b);
    const overRead = 12 * p.k + 16;
    const end = Math.max(aOffset + p.batchA * p.m * p.k * 4, bOffset + p.batchB * p.k * p.n * 4) + overRead;
    if (end > this.memory.buffer.byteLength) return undefined;
    const out = this.backend.makeOutput(outShape, 'float32');
    const parts = splitProblem(p, this.threads.size);
    const workspaces = parts.map((part, i) => {
      const bytes = packBytes(p, part);
      return this.workspace(i, SCRATCH_BYTES + bytes.a + bytes.b);
    });
    const at = { a: aOffset, b: bOffset, out: this.offset(out), workspaces };
    this.threads.run(parts.map((part, i) => partArguments(p, part, at, i)));
    return out;
  }
}

let compiled: { shared: WebAssembly.Module; unshared: WebAssembly.Module } | null | undefined;

/** The kernel's two modules (its memory import shared or not), compiled once; null where the engine refuses them. */
function compiledModules(): { shared: WebAssembly.Module; unshared: WebAssembly.Module } | null {
  if (compiled === undefined) {
    try {
      compiled = {
        shared: new WebAssembly.Module(Buffer.from(BATCH_MATMUL_WASM, 'base64')),
        unshared: new WebAssembly.Module(Buffer.from(BATCH_MATMUL_UNSHARED_WASM, 'base64')),
      };
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether this engine compiles the kernel's modules (wasm SIMD and threads). */
export function batchMatMulCompiles(): boolean {
  return compiledModules() !== null;
}

/**
 * Registers the SIMD kernel in place of wasm's BatchMatMul, delegating the cases it leaves to the
 * original. Returns false, leaving the original alone, when the kernel cannot be instantiated.
 */
export function registerBatchMatMulKernel(threadCount: number): boolean {
  return replaceWasmKernel('BatchMatMul', (original) => {
    if (!batchMatMulCompiles()) throw new Error('the engine cannot compile the matmul kernel');
    const bound = new WeakMap<object, HeapMatMul>();
    return (args: KernelArgs): tf.TensorInfo => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const problem = matMulProblem(a, b, transposeA, transposeB);
      if (problem === undefined) return original.kernelFunc(args) as tf.TensorInfo;
      const backend = args.backend as unknown as HeapBackend;
      let kernel = bound.get(backend);
      if (kernel === undefined) bound.set(backend, (kernel = new HeapMatMul(backend, threadCount)));
      const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), problem.m, problem.n];
      return kernel.run(problem, a, b, outShape) ?? (original.kernelFunc(args) as tf.TensorInfo);
    };
  });
}
