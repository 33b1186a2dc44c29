/**
 * Runs tfjs-backend-wasm's threaded-SIMD build under Node.
 *
 * The 4.22.0 bundle hard-codes "no threads" in Node (tfjs issue 3830): it creates its pthread workers
 * from `blob:` URLs, which Node's worker_threads refuse (ERR_WORKER_PATH), and it caps XNNPACK's pool at
 * half the logical cores (it assumes SMT), which is one thread on a 2-core machine. While the backend
 * initialises, this module swaps in a `Blob` that writes its text to a temp file and a
 * `URL.createObjectURL` that returns that file's path, prefixes the worker script with the globals the
 * bundled factory expects from its rollup wrapper, and reports twice the cores through `os.cpus()`.
 * Its workers never hold the process open: XNNPACK's pool threads run for the process's lifetime, and
 * every kernel call blocks the main thread until they finish, so no event-loop reference is needed.
 * Everything is restored afterwards. It depends on internals of exactly tfjs-backend-wasm 4.22.0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';

/** Globals the threaded factory reads when it is re-evaluated inside a worker (see the bundle's header). */
const WORKER_PRELUDE = [
  'globalThis.require$$0 = require("fs");',
  'globalThis.require$$1 = require("path");',
  'globalThis.require$$3 = require("perf_hooks");',
  'globalThis.require$$4 = require("os");',
  'globalThis.commonjsGlobal = globalThis;',
  // The main script arrives as a structured clone of a TextFileBlob: a plain object with its file path.
  'URL.createObjectURL = (blob) => blob.path;',
  'URL.revokeObjectURL = () => {};',
  '',
].join('\n');

export interface ThreadShim {
  /** Undo every global change; call once the backend is initialised (or failed). */
  restore(): void;
}

/** Installs the shim; `restore()` must follow `tf.setBackend('wasm')`. */
export function installWasmThreadShim(): ThreadShim {
  // Outside the project tree so Node treats the scripts as CommonJS (no "type": "module" above them).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-wasm-threads-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  let fileCount = 0;
  const writeScript = (text: string): string => {
    const file = path.join(dir, `script-${fileCount++}.js`);
    fs.writeFileSync(file, text);
    return file;
  };

  class TextFileBlob {
    readonly path: string;
    readonly text: string;
    constructor(parts: unknown[]) {
      this.text = parts.map(String).join('');
      this.path = writeScript(this.text);
    }
  }

  const saved = { Blob: globalThis.Blob, createObjectURL: URL.createObjectURL, cpus: os.cpus, Worker: workerThreads.Worker };
  class DetachedWorker extends saved.Worker {
    constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
      super(...args);
      this.unref();
    }
    override ref(): void {}
  }
  // The factory reads `require("worker_threads").Worker` once, while the backend initialises.
  (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = DetachedWorker;
  (globalThis as { Blob: unknown }).Blob = TextFileBlob;
  // On the main thread only the worker script goes through createObjectURL.
  URL.createObjectURL = ((blob: TextFileBlob) => writeScript(WORKER_PRELUDE + blob.text)) as unknown as typeof URL.createObjectURL;
  const doubled = [...saved.cpus.call(os), ...saved.cpus.call(os)];
  os.cpus = () => doubled;

  return {
    restore() {
      globalThis.Blob = saved.Blob;
      URL.createObjectURL = saved.createObjectURL;
      os.cpus = saved.cpus;
      (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = saved.Worker;
    },
  };
}
