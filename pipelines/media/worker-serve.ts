/** The worker side of WorkerPool: answers each task message with its result or its error. */
import { parentPort, type Transferable } from 'node:worker_threads';
import type { WorkerReply } from './worker-pool.ts';

export interface Handled<Out> {
  value: Out;
  transfer?: Transferable[];
}

export function serveTasks<In, Out>(handle: (input: In) => Promise<Handled<Out>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  port.on('message', async ({ id, input }: { id: number; input: In }) => {
    try {
      const { value, transfer } = await handle(input);
      port.postMessage({ id, ok: true, value } satisfies WorkerReply<Out>, transfer ?? []);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ id, ok: false, error: { name: e.name, message: e.message } } satisfies WorkerReply<Out>);
    }
  });
}
