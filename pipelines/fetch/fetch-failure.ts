/**
 * A failed fetch with a short stable reason (`http-404`, `timeout`, `connection-error`,
 * `truncated`, `hash-mismatch`, ...) that summaries and the URL-list status file count by.
 */
export class FetchFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly retryable: boolean,
    /** From a Retry-After header: how long the server asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const CONNECTION_CODES = new Set([
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ECONNRESET', 'ECONNREFUSED',
  'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE',
]);
/** DNS says the host does not exist: trying again will not change that. */
const PERMANENT_CONNECTION_CODES = new Set(['ENOTFOUND']);

function errorCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current = err as { code?: unknown; cause?: unknown } | undefined;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (typeof current.code === 'string') return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

/**
 * Turns a network-level error into a FetchFailure; anything else (a disk error writing the
 * download, a bug) is returned unchanged so that it is not retried as if the network were at fault.
 */
export function classifyNetworkError(err: unknown, what: string): unknown {
  if (err instanceof FetchFailure) return err;
  const code = errorCode(err);
  const detail = (err as Error)?.message ?? String(err);
  if (code && TIMEOUT_CODES.has(code)) return new FetchFailure('timeout', `${what}: timed out (${code})`, true);
  if (code && CONNECTION_CODES.has(code)) return new FetchFailure('connection-error', `${what}: connection failed (${code}: ${detail})`, true);
  if (code && PERMANENT_CONNECTION_CODES.has(code)) return new FetchFailure('connection-error', `${what}: ${detail}`, false);
  return err;
}

/** Statuses worth asking again: the server is busy or broken now, not the request wrong. */
export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;
