/**
 * One exported function of a project wasm kernel run on several threads at once over a shared
 * memory, as tfjs-backend-wasm's XNNPACK pool runs its own: the calling thread takes the first part
 * of a job and worker threads the rest, and the caller blocks until every part is done. The workers
 * live as long as the process and wait on an atomic between jobs, so a job costs a wake-up, not a
 * message through the event loop (which the blocked caller could not even receive).
 */
import { Worker } from 'node:worker_threads';

/** Per worker, an Int32Array: [posted (1) or idle (0), status, argument count, arguments...]. */
const POSTED = 0;
const STATUS = 1;
const COUNT = 2;
const ARGS = 3;
const MAX_ARGS = 32;
const RUNNING = 0;
const DONE = 1;
const FAILED = 2;

/** Long past any one kernel call; reaching it means the worker is gone, not slow. */
const WAIT_LIMIT_MS = 120_000;

// Plain CommonJS: the worker evaluates it without the project's TypeScript loader. It marks itself
// idle before it reports, so the next job, posted once the report is seen, is never overwritten.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, name, control } = workerData;
const c = new Int32Array(control);
let run;
try {
  run = new WebAssembly.Instance(module, { env: { memory } }).exports[name];
} catch {
  run = undefined;
}
for (;;) {
  Atomics.wait(c, ${POSTED}, 0);
  let status = ${FAILED};
  if (run !== undefined) {
    try {
      run(...c.subarray(${ARGS}, ${ARGS} + c[${COUNT}]));
      status = ${DONE};
    } catch {}
  }
  Atomics.store(c, ${POSTED}, 0);
  Atomics.store(c, ${STATUS}, status);
  Atomics.notify(c, ${STATUS});
}
`;

type KernelFunction = (...args: number[]) => void;

export class KernelThreads {
  private readonly local: KernelFunction;
  private readonly controls: Int32Array[] = [];
  private workersFailed = false;

  /** `threads` in all, the calling one included; the module imports `memory` as env.memory. */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, private readonly name: string, threads: number) {
    this.local = new WebAssembly.Instance(module, { env: { memory } }).exports[name] as KernelFunction;
    if (!(memory.buffer instanceof SharedArrayBuffer)) return;
    for (let i = 1; i < threads; i++) {
      const control = new SharedArrayBuffer(4 * (ARGS + MAX_ARGS));
      new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, name, control } }).unref();
      this.controls.push(new Int32Array(control));
    }
  }

  /** How many parts a job may have. */
  get size(): number {
    return this.workersFailed ? 1 : 1 + this.controls.length;
  }

  /**
   * Runs the function once per argument list, the first here and the others on the workers, and
   * returns when all are done. A part whose worker fails runs here instead, and from then on every
   * job runs here alone.
   */
  run(calls: readonly number[][]): void {
    if (calls.length > this.size) throw new Error(`${this.name}: ${calls.length} parts for ${this.size} threads`);
    const posted = calls.slice(1).map((args, i) => {
      if (args.length > MAX_ARGS) throw new Error(`${this.name}: ${args.length} arguments, at most ${MAX_ARGS}`);
      const c = this.controls[i]!;
      Atomics.store(c, STATUS, RUNNING);
      c[COUNT] = args.length;
      c.set(args, ARGS);
      Atomics.store(c, POSTED, 1);
      Atomics.notify(c, POSTED);
      return c;
    });
    this.local(...calls[0]!);
    posted.forEach((c, i) => {
      while (Atomics.load(c, STATUS) === RUNNING) {
        if (Atomics.wait(c, STATUS, RUNNING, WAIT_LIMIT_MS) === 'timed-out') {
          throw new Error(`${this.name}: worker thread ${i + 1} did not finish its part within ${WAIT_LIMIT_MS / 1000} s`);
        }
      }
      if (Atomics.load(c, STATUS) === FAILED) {
        if (!this.workersFailed) console.warn(`${this.name}: a worker thread failed; running on one thread from now on`);
        this.workersFailed = true;
        this.local(...calls[i + 1]!);
      }
    });
  }
}
