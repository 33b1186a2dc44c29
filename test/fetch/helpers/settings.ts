import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { createDispatcher, type HttpSettings } from '../../../pipelines/fetch/http.ts';

/** HTTP settings for tests: short timeouts, and sleeps that are recorded instead of waited. */
export function testHttp(t: TestContext, overrides: Partial<Omit<HttpSettings, 'retry'>> & { retries?: number } = {}) {
  const sleeps: number[] = [];
  const dispatcher = createDispatcher(16);
  t.after(() => dispatcher.close());
  const http: HttpSettings = {
    dispatcher,
    headersTimeoutMs: overrides.headersTimeoutMs ?? 5_000,
    bodyTimeoutMs: overrides.bodyTimeoutMs ?? 5_000,
    retry: {
      retries: overrides.retries ?? 3,
      baseDelayMs: 10,
      maxDelayMs: 50,
      maxRetryAfterMs: 60_000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  };
  return { http, sleeps };
}

export async function tempDir(t: TestContext, prefix = 'fetch-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function bytesOf(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
