/**
 * Loads a mirror's SHA256SUMS for one source: `<folder>/<source>/SHA256SUMS` (the sample mirror's
 * sample/SHA256SUMS) or `<base>/<source>/SHA256SUMS`. A mirror without one is fine (null); one
 * that exists but cannot be read or parsed is an error, since files would go unverified.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { classifyNetworkError } from './fetch-failure.ts';
import { httpGet, statusFailure, watchdogFor, type HttpSettings } from './http.ts';
import type { Mirror } from './mirror.ts';
import { sumsLocation } from './mirror-locations.ts';
import { withRetries } from './retry.ts';
import { parseSha256Sums } from './sha256-sums.ts';

export interface MirrorSums {
  sums: Map<string, string>;
  where: string;
}

async function fetchSumsText(url: string, http: HttpSettings, what: string): Promise<string | null> {
  return withRetries(async () => {
    const watchdog = watchdogFor(http, what);
    try {
      const response = await httpGet(url, {}, http, what, watchdog);
      if (response.statusCode === 404) {
        await response.body.dump();
        return null;
      }
      if (response.statusCode !== 200) throw await statusFailure(response, url, what);
      return await response.body.text();
    } catch (err) {
      throw classifyNetworkError(err, `${what} (${url})`);
    } finally {
      watchdog.stop();
    }
  }, http.retry);
}

export async function loadMirrorSums(mirror: Mirror, source: string, http: HttpSettings): Promise<MirrorSums | null> {
  const location = sumsLocation(mirror, source);
  if (!location) return null;
  if (location.kind === 'file') {
    if (!existsSync(location.file)) return null;
    return { sums: parseSha256Sums(await readFile(location.file, 'utf8'), location.file), where: location.file };
  }
  const text = await fetchSumsText(location.url, http, `${source}: SHA256SUMS`);
  return text === null ? null : { sums: parseSha256Sums(text, location.url), where: location.url };
}
