/**
 * Retries with exponential backoff and jitter, honouring Retry-After. Our own loop rather than
 * undici's retry interceptor because a retry here must resume from the `.part` file on disk (the
 * same code path as a rerun after a crash) and tests need to see the chosen delays.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { FetchFailure } from './fetch-failure.ts';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it, so one server cannot stall ingest for hours. */
  maxRetryAfterMs: number;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Equal jitter: half of the exponential step is fixed, half random, so retries spread but still back off. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (step / 2) * random);
}

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds from `now`, or undefined. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function retryDelay(failure: FetchFailure, attempt: number, policy: RetryPolicy, random: number): number {
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}

/** Runs `attempt` until it succeeds, fails for good, or runs out of retries; the last failure is thrown. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (failure: FetchFailure, delayMs: number, n: number) => void,
): Promise<T> {
  const sleep = policy.sleep ?? delay;
  const random = policy.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof FetchFailure) || !err.retryable || n >= policy.retries) throw err;
      const ms = retryDelay(err, n, policy, random());
      onRetry?.(err, ms, n);
      await sleep(ms);
    }
  }
}
