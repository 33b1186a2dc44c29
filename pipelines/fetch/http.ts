/**
 * The HTTP side of fetching: one shared undici Agent (connection pools per origin, redirects
 * followed) and a request helper that turns network errors into FetchFailures.
 */
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { classifyNetworkError, FetchFailure, isRetryableStatus } from './fetch-failure.ts';
import { parseRetryAfter, type RetryPolicy } from './retry.ts';
import { StallWatchdog } from './stall-watchdog.ts';

export interface HttpSettings {
  dispatcher: Dispatcher;
  /** Time allowed until the response headers arrive. */
  headersTimeoutMs: number;
  /** Time allowed between two chunks of the body: a stalled download fails, a slow one does not. */
  bodyTimeoutMs: number;
  retry: RetryPolicy;
}

export function createDispatcher(connectionsPerOrigin: number): Dispatcher {
  return new Agent({ connections: connectionsPerOrigin, keepAliveTimeout: 10_000 }).compose(
    interceptors.redirect({ maxRedirections: 5 }),
  );
}

export type HttpResponse = Dispatcher.ResponseData;

/**
 * Sends one GET; a network error or timeout becomes a FetchFailure naming `what` and the URL.
 * The caller reports body chunks to `watchdog.progress()` and stops it when done.
 */
export async function httpGet(url: string, headers: Record<string, string>, http: HttpSettings, what: string, watchdog: StallWatchdog): Promise<HttpResponse> {
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { 'user-agent': 'instructblip-ts-ingest', ...headers },
      dispatcher: http.dispatcher,
      signal: watchdog.signal,
    });
    watchdog.headersReceived();
    return response;
  } catch (err) {
    throw classifyNetworkError(err, `${what} (${url})`);
  }
}

export function watchdogFor(http: HttpSettings, what: string): StallWatchdog {
  return new StallWatchdog(http.headersTimeoutMs, http.bodyTimeoutMs, what);
}

/** Reads and discards a body we will not use, so its connection goes back to the pool. */
export async function discardBody(response: HttpResponse): Promise<void> {
  try {
    await response.body.dump();
  } catch {
    // the connection is closed either way; nothing was going to be read from it
  }
}

/** A non-success status as a FetchFailure: `http-<status>`, retryable when the server is busy or broken. */
export async function statusFailure(response: HttpResponse, url: string, what: string): Promise<FetchFailure> {
  await discardBody(response);
  const header = response.headers['retry-after'];
  const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now());
  return new FetchFailure(
    `http-${response.statusCode}`,
    `${what}: HTTP ${response.statusCode} from ${url}`,
    isRetryableStatus(response.statusCode),
    retryAfter,
  );
}

export function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
