/**
 * The SIMD transpose and row sums of layout.wat behind plain array signatures: the input is copied
 * into the kernel's memory and the result back out, O(size) copies at a fraction of a nanosecond
 * per element against the ~5 ns per element of tfjs-backend-wasm's own loops.
 */
import { LAYOUT_WASM } from './layout-wasm.ts';
import { bytesOf, ensureBytes, instantiateKernel } from './wasm-kernel.ts';

interface LayoutExports {
  memory: WebAssembly.Memory;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  sumRows(src: number, rows: number, inner: number, dst: number): void;
  scaleShift(src: number, rows: number, n: number, m: number, c: number, perRow: number, dst: number): void;
}

const padded = (bytes: number) => Math.ceil(bytes / 16) * 16;

type FourByteArray = Float32Array | Int32Array;

let sharedKernel: LayoutKernel | undefined;

export class LayoutKernel {
  private constructor(private readonly exports: LayoutExports) {}

  /** Throws where the engine lacks wasm SIMD. */
  static instantiate(): LayoutKernel {
    return new LayoutKernel(instantiateKernel<LayoutExports>(LAYOUT_WASM));
  }

  /**
   * One instance for every kernel that uses it (Transpose, Sum, Add, Sub, Multiply): each call copies
   * in and out before returning, so they can share it, and its memory, grown to the largest problem,
   * is held once.
   */
  static shared(): LayoutKernel {
    sharedKernel ??= LayoutKernel.instantiate();
    return sharedKernel;
  }

  /** out (cols x rows) = transpose of x (rows x cols); false when the kernel's memory cannot grow that far. */
  transpose(x: FourByteArray, rows: number, cols: number, out: FourByteArray): boolean {
    const bytes = rows * cols * 4;
    if (!ensureBytes(this.exports.memory, 2 * bytes)) return false;
    const memory = new Uint8Array(this.exports.memory.buffer);
    memory.set(bytesOf(x), 0);
    this.exports.transpose(0, rows, cols, bytes);
    bytesOf(out).set(memory.subarray(bytes, 2 * bytes));
    return true;
  }

  /** out[j] = sum over r of x[r * inner + j], in float32 in row order; false as for transpose. */
  sumRows(x: Float32Array, rows: number, inner: number, out: Float32Array): boolean {
    const bytes = rows * inner * 4;
    if (!ensureBytes(this.exports.memory, bytes + inner * 4)) return false;
    const memory = new Uint8Array(this.exports.memory.buffer);
    memory.set(bytesOf(x), 0);
    this.exports.sumRows(0, rows, inner, bytes);
    bytesOf(out).set(memory.subarray(bytes, bytes + inner * 4));
    return true;
  }

  /**
   * out[r * n + j] = x[r * n + j] * m[k] + c[k] in float32, with k = r when `perRow` (m and c hold
   * `rows` values) and k = j otherwise (they hold n); false as for transpose.
   */
  scaleShift(x: Float32Array, rows: number, n: number, m: Float32Array, c: Float32Array, perRow: boolean, out: Float32Array): boolean {
    const bytes = padded(rows * n * 4);
    const vector = padded(m.length * 4);
    if (!ensureBytes(this.exports.memory, 2 * bytes + 2 * vector)) return false;
    const memory = new Uint8Array(this.exports.memory.buffer);
    memory.set(bytesOf(x), 0);
    memory.set(bytesOf(m), bytes);
    memory.set(bytesOf(c), bytes + vector);
    const dst = bytes + 2 * vector;
    this.exports.scaleShift(0, rows, n, bytes, bytes + vector, Number(perRow), dst);
    bytesOf(out).set(memory.subarray(dst, dst + rows * n * 4));
    return true;
  }
}
