/**
 * Fetches the images of a URL-list source (OCR-VQA, CapFilt), img2dataset-style: many at once,
 * each checked to be an image by its magic bytes, written atomically under raw/<source>/<path>,
 * its outcome appended to the status file. An image already on disk is never fetched again;
 * everything else (new or failed before) is tried. Whether an image is done is read from the disk,
 * not from the status file, so a rerun needs no memory per URL however long the list is.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { UrlListTotals } from '../raw/ledger.ts';
import { resolveInside } from '../raw/safe-path.ts';
import type { UrlListEntry } from '../sources/types.ts';
import { forEachBounded } from './bounded.ts';
import { partPath } from './download.ts';
import { fetchImageBytes } from './fetch-image.ts';
import { FetchFailure } from './fetch-failure.ts';
import type { HttpSettings } from './http.ts';
import { sniffImageType } from './image-magic.ts';
import type { Mirror } from './mirror.ts';
import { urlEntryLocation } from './mirror-locations.ts';
import { URL_STATUS_FILE, UrlStatusLog } from './url-status.ts';

export interface UrlListOptions {
  source: string;
  /** raw/<source>: images go under it, and the status file into it. */
  rawRoot: string;
  mirror: Mirror;
  http: HttpSettings;
  concurrency: number;
  maxImageBytes: number;
  onImage?: (status: string, bytes: number) => void;
}

export interface UrlListResult {
  totals: UrlListTotals;
  /** Images that were on disk from an earlier run and not fetched again. */
  alreadyPresent: number;
  fetchedBytes: number;
}

/**
 * Same convention as downloads: bytes go to `<dest>.part`, then are renamed into place, so a
 * killed process leaves at most a `.part`, which the next attempt at this image overwrites.
 * Unlike downloads there is no fsync per image: it costs a millisecond or more each and would cap
 * fetching at a few hundred images a second. What an OS crash could leave instead is an empty file
 * under the final name, and an empty file never counts as fetched (see `alreadyFetched`).
 * The writes are synchronous on purpose: an image is small, and through the thread pool the same
 * two calls cost about twice the CPU (bench/url-list.bench.ts).
 */
function writeImage(dest: string, bytes: Buffer): void {
  const part = partPath(dest);
  writeFileSync(part, bytes);
  renameSync(part, dest);
}

/** An image on disk under its final name, and not empty, was fetched and checked by an earlier run. */
function alreadyFetched(dest: string): boolean {
  return (statSync(dest, { throwIfNoEntry: false })?.size ?? 0) > 0;
}

/** Reads the image behind one entry from the mirror; failures come back as FetchFailures with a status reason. */
async function imageBytes(entry: UrlListEntry, options: UrlListOptions, what: string): Promise<Buffer> {
  let location;
  try {
    location = urlEntryLocation(options.mirror, options.source, entry.url);
  } catch (err) {
    throw new FetchFailure('bad-url', `${what}: ${(err as Error).message}`, false);
  }
  if (location.kind === 'url') return fetchImageBytes(location.url, options.http, what, options.maxImageBytes);
  try {
    return await readFile(location.file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FetchFailure('missing', `${what}: not in the mirror at ${location.file}`, false);
    throw err;
  }
}

export async function fetchUrlList(entries: AsyncIterable<UrlListEntry>, options: UrlListOptions): Promise<UrlListResult> {
  const statusFile = path.join(options.rawRoot, URL_STATUS_FILE);
  const log = await UrlStatusLog.open(statusFile);
  const totals: UrlListTotals = { total: 0, ok: 0, failed: {}, statusFile: URL_STATUS_FILE };
  const result: UrlListResult = { totals, alreadyPresent: 0, fetchedBytes: 0 };
  // Two entries naming the same file share one fetch instead of racing on it.
  const inFlight = new Map<string, Promise<{ status: string; bytes: number }>>();
  // Folders made so far: most lists put every image in one or a few folders, so mkdir once each.
  const madeDirs = new Set<string>();
  const ensureDir = async (dir: string) => {
    if (madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  };

  const record = (status: string, bytes: number) => {
    if (status === 'ok') totals.ok++;
    else totals.failed[status] = (totals.failed[status] ?? 0) + 1;
    options.onImage?.(status, bytes);
  };

  const fetchOne = async (entry: UrlListEntry, dest: string): Promise<{ status: string; bytes: number }> => {
    const what = `${options.source}: ${entry.path}`;
    try {
      const bytes = await imageBytes(entry, options, what);
      if (!sniffImageType(bytes)) throw new FetchFailure('not-an-image', `${what}: ${entry.url} is not a JPEG, PNG, GIF or WebP image`, false);
      await ensureDir(path.dirname(dest));
      writeImage(dest, bytes);
      result.fetchedBytes += bytes.length;
      log.append({ path: entry.path, url: entry.url, status: 'ok', bytes: bytes.length, at: new Date().toISOString() });
      return { status: 'ok', bytes: bytes.length };
    } catch (err) {
      if (!(err instanceof FetchFailure)) throw err;
      log.append({ path: entry.path, url: entry.url, status: err.reason, detail: err.message, at: new Date().toISOString() });
      return { status: err.reason, bytes: 0 };
    }
  };

  const handle = async (entry: UrlListEntry): Promise<void> => {
    totals.total++;
    let dest: string;
    try {
      dest = resolveInside(options.rawRoot, entry.path, `${options.source} image path`);
    } catch (err) {
      log.append({ path: entry.path, url: entry.url, status: 'bad-path', detail: (err as Error).message, at: new Date().toISOString() });
      return record('bad-path', 0);
    }
    const pending = inFlight.get(dest);
    if (pending) return record((await pending).status, 0);
    if (alreadyFetched(dest)) {
      result.alreadyPresent++;
      return record('ok', 0);
    }
    const fetching = fetchOne(entry, dest);
    inFlight.set(dest, fetching);
    try {
      const { status, bytes } = await fetching;
      record(status, bytes);
    } finally {
      inFlight.delete(dest);
    }
  };

  try {
    await forEachBounded(entries, options.concurrency, handle);
  } finally {
    await log.close();
  }
  return result;
}
