/**
 * The project's own wasm kernels (the .wat files here, compiled to base64 modules by
 * `npm run build-kernels`): instantiating one, and growing its memory on demand.
 */

const PAGE_BYTES = 65536;

/** A fresh instance of the module's exports; throws where the engine lacks what it uses (wasm SIMD). */
export function instantiateKernel<Exports>(base64: string): Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64'))).exports as unknown as Exports;
}

/** Grows `memory` to at least `bytes`; false when it cannot grow that far. */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    return true;
  } catch {
    return false;
  }
}

/** The bytes of a typed array, for copies that must not convert values. */
export const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
