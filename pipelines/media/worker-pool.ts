/**
 * A fixed pool of worker threads running one module, one task per worker at a time. Tasks queue
 * in the main thread; a worker that dies fails its task and is replaced.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Transferable, Worker } from 'node:worker_threads';

export interface TaskError {
  name: string;
  message: string;
}

export type WorkerReply<Out> = { id: number; ok: true; value: Out } | { id: number; ok: false; error: TaskError };

interface Task<In, Out> {
  id: number;
  input: In;
  transfer: Transferable[];
  resolve: (value: Out) => void;
  reject: (error: Error) => void;
}

/** Rebuilds an error thrown in a worker with its name, so callers can tell kinds apart. */
export class WorkerTaskError extends Error {
  constructor(readonly errorName: string, message: string) {
    super(message);
    this.name = errorName;
  }
}

const cjsTsx = createRequire(import.meta.url).resolve('tsx/cjs/api');

/**
 * Workers do not inherit tsx's loader, so a `.ts` worker starts from a tiny bootstrap that
 * registers tsx first (only when running from TypeScript sources). tsx's require hook, not its ESM
 * loader: the loader runs in a thread of its own per worker, and two image workers took ~0.75 s to
 * start with it against ~0.4 s without (1.2 s during a build, while the main thread parses).
 */
function startWorker(moduleUrl: URL): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl);
  const boot = `require(${JSON.stringify(cjsTsx)}).register(); require(${JSON.stringify(fileURLToPath(moduleUrl))});`;
  return new Worker(boot, { eval: true });
}

export const defaultPoolSize = () => Math.max(1, availableParallelism());

export class WorkerPool<In, Out> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task<In, Out>>();
  private readonly queue: Task<In, Out>[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly moduleUrl: URL, readonly size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  run(input: In, transfer: Transferable[] = []): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, transfer, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('worker pool closed before the task ran'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = startWorker(this.moduleUrl);
    worker.on('message', (reply: WorkerReply<Out>) => this.settle(worker, reply));
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(worker, new Error(`worker ${this.moduleUrl.pathname} exited with code ${code}`));
    });
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage({ id: task.id, input: task.input }, task.transfer);
    }
  }

  private settle(worker: Worker, reply: WorkerReply<Out>): void {
    const task = this.busy.get(worker);
    if (!task || task.id !== reply.id) return;
    this.busy.delete(worker);
    this.idle.push(worker);
    if (reply.ok) task.resolve(reply.value);
    else task.reject(new WorkerTaskError(reply.error.name, reply.error.message));
    this.dispatch();
  }

  private fail(worker: Worker, err: Error): void {
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.closed) return;
    worker.removeAllListeners();
    void worker.terminate();
    task?.reject(err);
    this.idle.push(this.spawn());
    this.dispatch();
  }
}
