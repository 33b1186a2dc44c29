/**
 * The per-source ledger that ingest writes to raw/<source>/ledger.json: where the source's files
 * are, and what was fetched and verified. build-shards reads raw input hashes from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../util/atomic.ts';
import { RawAccess } from './access.ts';

export interface LedgerFile {
  url: string;
  bytes: number;
  sha256: string;
  /** What the hash was checked against: the spec's published hash, the mirror's SHA256SUMS, or nothing known. */
  verified: 'spec' | 'mirror' | 'unverified';
  fetchedAt: string;
}

export interface UrlListTotals {
  total: number;
  ok: number;
  /** Failures by status: `404`, `timeout`, `not-an-image`, ... */
  failed: Record<string, number>;
  /** Per-URL status file, relative to the source's raw folder. */
  statusFile: string;
}

export interface SourceLedger {
  source: string;
  /** `sample`, `official`, a base URL, or a folder. */
  mirror: string;
  /** Absolute folder holding the files: raw/<source>, or a folder mirror read in place. */
  location: string;
  files: Record<string, LedgerFile>;
  urlList?: UrlListTotals;
  complete: boolean;
  updatedAt: string;
}

export const ledgerPath = (rawDir: string, source: string) => path.join(rawDir, source, 'ledger.json');

export function readLedger(rawDir: string, source: string): SourceLedger | null {
  const file = ledgerPath(rawDir, source);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SourceLedger;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); rerun ingest for "${source}"`);
  }
}

export function writeLedger(rawDir: string, ledger: SourceLedger): Promise<void> {
  return writeJsonAtomic(ledgerPath(rawDir, ledger.source), ledger);
}

/** Raw access that follows each source's ledger to where its files are (in place for folder mirrors). */
export function openRawAccess(rawDir: string): RawAccess {
  return new RawAccess((source) => readLedger(rawDir, source)?.location ?? path.join(rawDir, source));
}
