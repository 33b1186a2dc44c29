/**
 * sha256 of a file, computed on a worker thread. Hashing is a large share of CPU where it happens
 * (a build hashes every raw file it reads, 315 MB for VQAv2's train annotations, and every shard
 * it writes; verify rehashes them all): on the main thread it holds up parsing and encoding for
 * its whole length, on a worker it runs beside them. One worker serves every call in turn and
 * lets the process exit while it has nothing to do.
 */
import { Worker } from 'node:worker_threads';

// Plain CommonJS, evaluated without the project's TypeScript loader.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, file }) => {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const hash = createHash('sha256');
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
    parentPort.postMessage({ id, hex: hash.digest('hex') });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
`;

interface Reply {
  id: number;
  hex?: string;
  error?: { message: string; code?: string };
}

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (hex: string) => void; reject: (err: Error) => void }>();

function hashingWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_SOURCE, { eval: true });
  started.on('message', ({ id, hex, error }: Reply) => {
    const call = waiting.get(id)!;
    waiting.delete(id);
    if (waiting.size === 0) started.unref();
    if (error) call.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
    else call.resolve(hex!);
  });
  started.on('error', (err) => {
    worker = undefined;
    for (const call of waiting.values()) call.reject(err);
    waiting.clear();
  });
  worker = started;
  return started;
}

/** sha256 (hex) of the file's bytes; rejects with the read's error (its `code` kept, e.g. ENOENT). */
export function sha256File(file: string): Promise<string> {
  const hasher = hashingWorker();
  const id = nextId++;
  hasher.ref();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    hasher.postMessage({ id, file });
  });
}
