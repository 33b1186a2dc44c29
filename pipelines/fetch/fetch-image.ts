/** One image from a URL list, into memory (images are small; the cap keeps a bad URL from being huge). */
import { classifyNetworkError, FetchFailure } from './fetch-failure.ts';
import { headerValue, httpGet, statusFailure, watchdogFor, type HttpSettings } from './http.ts';
import { withRetries } from './retry.ts';

async function fetchOnce(url: string, http: HttpSettings, what: string, maxBytes: number): Promise<Buffer> {
  const watchdog = watchdogFor(http, what);
  try {
    const response = await httpGet(url, {}, http, what, watchdog);
    if (response.statusCode !== 200) throw await statusFailure(response, url, what);
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of response.body) {
      watchdog.progress();
      received += (chunk as Buffer).length;
      if (received > maxBytes) {
        response.body.destroy();
        throw new FetchFailure('too-large', `${what}: more than ${maxBytes} bytes at ${url}`, false);
      }
      chunks.push(chunk as Buffer);
    }
    const length = headerValue(response, 'content-length');
    if (length !== undefined && Number(length) !== received) {
      throw new FetchFailure('truncated', `${what}: body ended after ${received} of ${length} bytes from ${url}`, true);
    }
    return Buffer.concat(chunks, received);
  } catch (err) {
    throw classifyNetworkError(err, `${what} (${url})`);
  } finally {
    watchdog.stop();
  }
}

export function fetchImageBytes(url: string, http: HttpSettings, what: string, maxBytes: number): Promise<Buffer> {
  return withRetries(() => fetchOnce(url, http, what, maxBytes), http.retry);
}
