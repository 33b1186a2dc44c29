/** Memory of the project's own wasm kernels: they grow it on demand, up to what the engine allows. */

const PAGE_BYTES = 65536;

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
