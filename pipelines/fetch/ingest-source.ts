/**
 * Ingests one raw source: its spec files (in place, copied or downloaded, each verified), then,
 * for URL-list sources, the images their annotations name. The ledger on disk follows along and
 * says `complete` only when every required file is there and verified and the URL pass finished.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { openRawAccess, readLedger, type LedgerFile } from '../raw/ledger.ts';
import type { SourceAdapter, UrlListEntry } from '../sources/types.ts';
import type { HttpSettings } from './http.ts';
import { LedgerWriter } from './ledger-writer.ts';
import { describeMirror, type Mirror } from './mirror.ts';
import { mirrorSourceFolder } from './mirror-locations.ts';
import { loadMirrorSums } from './mirror-sums.ts';
import type { ProgressSink } from './progress.ts';
import { obtainSpecFile, type FileOutcome, type SpecFileContext } from './spec-file.ts';
import { fetchUrlList, type UrlListResult } from './url-list.ts';

export interface IngestSettings {
  rawDir: string;
  mirror: Mirror;
  http: HttpSettings;
  /** Spec files fetched at once. */
  fileConcurrency: number;
  /** URL-list images fetched at once. */
  urlConcurrency: number;
  maxImageBytes: number;
  recheck: boolean;
  progress: ProgressSink;
}

export interface SourceReport {
  source: string;
  location: string;
  inPlace: boolean;
  files: FileOutcome[];
  urlList?: UrlListResult;
  /** A failure of the source as a whole: unreadable checksums, an adapter that cannot list its URLs. */
  error?: string;
  /** Every required file is there and verified, and nothing failed as a whole. */
  ok: boolean;
}

/**
 * Where the source's files will live. A folder mirror is read in place (no copy of gigabytes),
 * except for URL-list sources, whose fetched images must sit beside their annotations in raw/.
 */
function placement(adapter: SourceAdapter, settings: IngestSettings): { root: string; inPlace: boolean } {
  const folder = mirrorSourceFolder(settings.mirror, adapter.spec.source);
  if (folder && !adapter.urlList) return { root: folder, inPlace: true };
  return { root: path.resolve(settings.rawDir, adapter.spec.source), inPlace: false };
}

async function countEntries(entries: AsyncIterable<UrlListEntry>): Promise<number> {
  let n = 0;
  for await (const _ of entries) n++;
  return n;
}

async function fetchImages(adapter: SourceAdapter, settings: IngestSettings, root: string): Promise<UrlListResult> {
  const source = adapter.spec.source;
  const raw = openRawAccess(settings.rawDir);
  try {
    // A first pass only counts, so progress can show an ETA; parsing annotations is cheap next to fetching.
    const total = await countEntries(adapter.urlList!(raw));
    settings.progress.begin(`${source} images`, total);
    const result = await fetchUrlList(adapter.urlList!(raw), {
      source,
      rawRoot: root,
      mirror: settings.mirror,
      http: settings.http,
      concurrency: settings.urlConcurrency,
      maxImageBytes: settings.maxImageBytes,
      onImage: (_status, bytes) => settings.progress.advance(1, bytes),
    });
    settings.progress.end();
    return result;
  } finally {
    await raw.close();
  }
}

function noteOutcome(outcome: FileOutcome, progress: ProgressSink): void {
  if (outcome.kind === 'failed') progress.note(`${outcome.optional ? 'optional file failed' : 'FAILED'}: ${outcome.detail}`);
}

export async function ingestSource(adapter: SourceAdapter, settings: IngestSettings): Promise<SourceReport> {
  const { spec } = adapter;
  const { root, inPlace } = placement(adapter, settings);
  const report: SourceReport = { source: spec.source, location: root, inPlace, files: [], ok: false };
  const mirror = describeMirror(settings.mirror);
  const previousLedger = readLedger(settings.rawDir, spec.source);
  const previous: Record<string, LedgerFile> =
    previousLedger && previousLedger.mirror === mirror && previousLedger.location === root ? previousLedger.files : {};
  const ledger = new LedgerWriter(settings.rawDir, { source: spec.source, mirror, location: root });

  let sums;
  try {
    sums = await loadMirrorSums(settings.mirror, spec.source, settings.http);
  } catch (err) {
    report.error = `${spec.source}: cannot read the mirror's SHA256SUMS: ${(err as Error).message}`;
    settings.progress.note(`FAILED: ${report.error}`);
    await ledger.save();
    return report;
  }

  const context: SpecFileContext = {
    source: spec.source, mirror: settings.mirror, root, inPlace, sums, previous, recheck: settings.recheck, http: settings.http,
    onBytes: (bytes) => settings.progress.advance(0, bytes),
  };
  settings.progress.begin(`${spec.source} files`, spec.files.length);
  const limit = pLimit(settings.fileConcurrency);
  report.files = await Promise.all(spec.files.map((file) => limit(async () => {
    const outcome = await obtainSpecFile(file, context);
    if (outcome.kind === 'done') await ledger.setFile(outcome.path, outcome.entry);
    noteOutcome(outcome, settings.progress);
    settings.progress.advance(1, 0);
    return outcome;
  })));
  settings.progress.end();

  const requiredFailed = report.files.some((f) => f.kind === 'failed' && !f.optional);
  if (requiredFailed) {
    await ledger.save();
    return report;
  }
  if (adapter.urlList) {
    await ledger.save();
    try {
      report.urlList = await fetchImages(adapter, settings, root);
      await ledger.setUrlList(report.urlList.totals);
    } catch (err) {
      settings.progress.end();
      report.error = `${spec.source}: URL list failed: ${(err as Error).message}`;
      settings.progress.note(`FAILED: ${report.error}`);
      await ledger.save();
      return report;
    }
  }
  report.ok = true;
  await ledger.setComplete(true);
  return report;
}
