import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FetchFailure } from '../../pipelines/fetch/fetch-failure.ts';
import { backoffDelay, parseRetryAfter, retryDelay, withRetries, type RetryPolicy } from '../../pipelines/fetch/retry.ts';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({ retries: 3, baseDelayMs: 100, maxDelayMs: 5000, maxRetryAfterMs: 60_000, ...over });

test('backoff stays within [step/2, step] with step = min(max, base * 2^attempt)', () => {
  fc.assert(fc.property(fc.nat(40), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, base, max, r) => {
    const step = Math.min(max, base * 2 ** attempt);
    const d = backoffDelay(attempt, { baseDelayMs: base, maxDelayMs: max }, r);
    return d >= Math.floor(step / 2) && d <= Math.ceil(step);
  }));
});

test('backoff never shrinks from one attempt to the next at the same jitter', () => {
  fc.assert(fc.property(fc.nat(30), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) =>
    backoffDelay(attempt + 1, policy(), r) >= backoffDelay(attempt, policy(), r)));
});

test('Retry-After: seconds or an HTTP date', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('5', now), 5000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('Retry-After wins over backoff but is capped', () => {
  const asked = new FetchFailure('http-503', 'busy', true, 90_000);
  assert.equal(retryDelay(asked, 0, policy(), 0.5), 60_000);
  assert.equal(retryDelay(new FetchFailure('http-503', 'busy', true, 1234), 5, policy(), 0.5), 1234);
});

test('withRetries: retries retryable failures only, up to the limit, and rethrows the last', async () => {
  const slept: number[] = [];
  const p = policy({ retries: 2, sleep: async (ms) => slept.push(ms), random: () => 0 });
  let calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw new FetchFailure('timeout', `t${calls}`, true);
  }, p), /t3/);
  assert.equal(calls, 3);
  assert.deepEqual(slept, [50, 100]);

  calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw new FetchFailure('http-404', 'gone', false);
  }, p), /gone/);
  assert.equal(calls, 1);

  calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw new Error('disk full');
  }, p), /disk full/);
  assert.equal(calls, 1);

  assert.equal(await withRetries(async (n) => {
    if (n < 2) throw new FetchFailure('http-500', 'x', true);
    return 'done';
  }, p), 'done');
});
