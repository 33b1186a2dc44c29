/**
 * Exact GELU and its derivative from gelu.wat, over host arrays. As TF.js ops the activation and its
 * hand-written gradient took erf, exp and seven elementwise kernels, each a pass over the FFN's
 * activations at several ns per element on wasm; this is one pass that also yields the derivative
 * the backward pass multiplies by.
 */
import { GELU_WASM } from './gelu-wasm.ts';
import { bytesOf, ensureBytes, instantiateKernel } from './wasm-kernel.ts';

interface GeluExports {
  memory: WebAssembly.Memory;
  gelu(x: number, y: number, d: number, quads: number): void;
}

let instance: GeluExports | undefined;

function kernel(): GeluExports {
  instance ??= instantiateKernel<GeluExports>(GELU_WASM);
  return instance;
}

/** GELU of `x` and its derivative: views into the kernel's memory, valid until the next call. */
export function geluWithDerivative(x: Float32Array): { y: Float32Array; derivative: Float32Array } {
  const k = kernel();
  const bytes = Math.ceil(x.length / 4) * 16;
  if (!ensureBytes(k.memory, 3 * bytes)) throw new Error(`GELU: ${x.length} values do not fit the kernel's memory`);
  const memory = new Uint8Array(k.memory.buffer);
  memory.set(bytesOf(x), 0);
  k.gelu(0, bytes, 2 * bytes, bytes / 16);
  const buffer = k.memory.buffer;
  return { y: new Float32Array(buffer, bytes, x.length), derivative: new Float32Array(buffer, 2 * bytes, x.length) };
}
