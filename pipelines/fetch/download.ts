/**
 * Downloads one file into `<dest>.part`, resuming a partial `.part` with an HTTP Range request,
 * checks its sha256, and only then renames it to `dest`. A file under its final name is therefore
 * always whole and verified; a crash at any point leaves at most a `.part`, which the next run
 * resumes.
 */
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseContentRange } from './content-range.ts';
import { classifyNetworkError, FetchFailure } from './fetch-failure.ts';
import { sha256File } from '../util/sha256-file.ts';
import { discardBody, headerValue, httpGet, statusFailure, watchdogFor, type HttpSettings } from './http.ts';
import { withRetries } from './retry.ts';
import type { StallWatchdog } from './stall-watchdog.ts';

export interface DownloadOptions {
  http: HttpSettings;
  /** When known, the download must hash to this or it is discarded. */
  expectedSha256?: string;
  /** Names the file in messages: `<source>: <path>`. */
  what: string;
  onBytes?: (bytes: number) => void;
  onRetry?: (failure: FetchFailure, delayMs: number) => void;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
  /** Bytes of a `.part` left by an earlier run that this download continued from. */
  resumedFrom: number;
}

export const partPath = (dest: string) => `${dest}.part`;

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

export async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The server ignored or garbled our Range: drop the partial file and ask again at once. */
async function restartFailure(part: string, what: string, detail: string): Promise<FetchFailure> {
  await rm(part, { force: true });
  return new FetchFailure('bad-range', `${what}: ${detail}; restarting the download from byte 0`, true, 0);
}

/** One request: appends to (or restarts) the `.part` file until the body ends or fails. */
async function fetchIntoPart(url: string, part: string, options: DownloadOptions): Promise<void> {
  const { http, what } = options;
  const watchdog = watchdogFor(http, what);
  try {
    await fetchWithWatchdog(url, part, options, watchdog);
  } finally {
    watchdog.stop();
  }
}

async function fetchWithWatchdog(url: string, part: string, options: DownloadOptions, watchdog: StallWatchdog): Promise<void> {
  const { http, what } = options;
  const offset = await sizeOf(part);
  const response = await httpGet(url, offset > 0 ? { range: `bytes=${offset}-` } : {}, http, what, watchdog);
  const contentRange = parseContentRange(headerValue(response, 'content-range'));
  let flags: 'a' | 'w';
  if (offset > 0 && response.statusCode === 416) {
    await discardBody(response);
    if (contentRange?.kind === 'unsatisfied' && contentRange.total === offset) return;
    throw await restartFailure(part, what, `server refused to resume at byte ${offset}`);
  } else if (offset > 0 && response.statusCode === 206) {
    if (contentRange?.kind !== 'range' || contentRange.start !== offset) {
      await discardBody(response);
      throw await restartFailure(part, what, `asked for bytes from ${offset}, got Content-Range "${headerValue(response, 'content-range') ?? ''}"`);
    }
    flags = 'a';
  } else if (response.statusCode === 200) {
    flags = 'w';
  } else {
    throw await statusFailure(response, url, what);
  }

  const lengthHeader = headerValue(response, 'content-length');
  const expectedLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  let received = 0;
  // Each chunk is on disk before the next is read, so whatever arrived before a failure is kept
  // for the resume (a stream pipeline would drop what it still had buffered).
  const handle = await open(part, flags).catch(async (err: unknown) => {
    await discardBody(response);
    throw err;
  });
  try {
    for await (const chunk of response.body) {
      watchdog.progress();
      await handle.write(chunk as Buffer);
      received += (chunk as Buffer).length;
      options.onBytes?.((chunk as Buffer).length);
    }
  } catch (err) {
    throw classifyNetworkError(err, `${what} (${url})`);
  } finally {
    await handle.close();
  }
  if (expectedLength !== undefined && received !== expectedLength) {
    throw new FetchFailure('truncated', `${what}: body ended after ${received} of ${expectedLength} bytes from ${url}`, true);
  }
}

export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<DownloadResult> {
  const part = partPath(dest);
  await mkdir(path.dirname(dest), { recursive: true });
  const resumedFrom = await sizeOf(part);
  let mayHaveStalePrefix = resumedFrom > 0;
  for (;;) {
    await withRetries(() => fetchIntoPart(url, part, options), options.http.retry, options.onRetry);
    const sha256 = await sha256File(part);
    const expected = options.expectedSha256?.toLowerCase();
    if (expected === undefined || sha256 === expected) {
      const bytes = await sizeOf(part);
      await fsyncFile(part);
      await rename(part, dest);
      return { bytes, sha256, resumedFrom };
    }
    await rm(part, { force: true });
    // A prefix left by an earlier run may come from another version of the file: one clean try.
    if (mayHaveStalePrefix) {
      mayHaveStalePrefix = false;
      continue;
    }
    throw new FetchFailure(
      'hash-mismatch',
      `${options.what}: sha256 mismatch for ${url}: expected ${expected}, got ${sha256}; the download was discarded`,
      false,
    );
  }
}
