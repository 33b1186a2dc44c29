/**
 * A real HTTP server on 127.0.0.1 for fetch tests. Each test supplies a handler; `sendBytes`
 * serves a body (honouring Range unless told not to) and can break the response partway, and
 * every response is logged with the body bytes it actually wrote.
 */
import { once } from 'node:events';
import { statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  path: string;
  range: string | undefined;
  status: number;
  bodyBytes: number;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, log: ServedRequest) => void | Promise<void>;

export interface FaultServer {
  base: string;
  requests: ServedRequest[];
  /** Requests for one path, in order. */
  requestsFor(path: string): ServedRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<FaultServer> {
  const requests: ServedRequest[] = [];
  const server = http.createServer((req, res) => {
    const log: ServedRequest = { path: decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname), range: req.headers.range, status: 0, bodyBytes: 0 };
    requests.push(log);
    Promise.resolve(handler(req, res, log)).catch((err) => {
      res.destroy(err as Error);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    requestsFor: (p) => requests.filter((r) => r.path === p),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface SendOptions {
  ignoreRange?: boolean;
  /** Stop after this many body bytes: `drop` ends the connection cleanly (FIN), `reset` sends RST. */
  breakAfter?: number;
  breakWith?: 'drop' | 'reset';
  /** Runs before breaking, e.g. to wait until the client has the bytes sent so far on disk. */
  beforeBreak?: () => Promise<void>;
  /** Send this many body bytes, then nothing more (the connection stays open): a stalled body. */
  stallAfter?: number;
  /** Pause between chunks, for slow-body tests. */
  chunkDelayMs?: number;
  chunkSize?: number;
  extraHeaders?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A response that never comes: the test's server.close() ends the connection. */
export const never = () => new Promise<void>(() => {});

function write(res: http.ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => res.write(chunk, (err) => (err ? reject(err) : resolve())));
}

export async function sendBytes(req: http.IncomingMessage, res: http.ServerResponse, log: ServedRequest, data: Buffer, options: SendOptions = {}): Promise<void> {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = match && !options.ignoreRange ? Number(match[1]) : 0;
  if (start > 0 && start >= data.length) {
    log.status = 416;
    res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
    return;
  }
  const body = data.subarray(start);
  log.status = start > 0 ? 206 : 200;
  res.writeHead(log.status, {
    'content-length': String(body.length),
    ...(start > 0 ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
    ...options.extraHeaders,
  });
  const limit = Math.min(body.length, options.breakAfter ?? options.stallAfter ?? body.length);
  const chunkSize = options.chunkSize ?? 16 * 1024;
  for (let at = 0; at < limit; at += chunkSize) {
    const chunk = body.subarray(at, Math.min(limit, at + chunkSize));
    await write(res, chunk);
    log.bodyBytes += chunk.length;
    if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
  }
  if (limit < body.length && options.stallAfter !== undefined) return never();
  if (limit < body.length) {
    await (options.beforeBreak ?? (() => sleep(20)))();
    if (options.breakWith === 'reset') res.socket?.resetAndDestroy();
    else res.socket?.destroy();
    return;
  }
  res.end();
}

export function sendStatus(res: http.ServerResponse, log: ServedRequest, status: number, headers: Record<string, string> = {}): void {
  log.status = status;
  res.writeHead(status, headers).end();
}

/** Resolves once `file` holds at least `bytes` bytes (the client has written what it was sent). */
export async function fileReaches(file: string, bytes: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) < bytes) {
    if (Date.now() > deadline) throw new Error(`${file} did not reach ${bytes} bytes`);
    await sleep(5);
  }
}
