/**
 * Brings one spec file of a source to where the ledger will say it is: verified in place on a
 * folder mirror, or copied or downloaded into raw/<source>/, and checked against the best hash
 * known (the mirror's SHA256SUMS, else the spec's). A file already there and recorded is kept.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LedgerFile } from '../raw/ledger.ts';
import { resolveInside } from '../raw/safe-path.ts';
import type { RawFileSpec } from '../sources/types.ts';
import { downloadFile, fsyncFile, partPath } from './download.ts';
import { FetchFailure } from './fetch-failure.ts';
import { sha256File } from '../util/sha256-file.ts';
import type { HttpSettings } from './http.ts';
import type { Mirror } from './mirror.ts';
import { specFileLocation, type Location } from './mirror-locations.ts';
import type { MirrorSums } from './mirror-sums.ts';

export interface SpecFileContext {
  source: string;
  mirror: Mirror;
  /** Where the file is read from by later stages: raw/<source>, or the mirror folder read in place. */
  root: string;
  inPlace: boolean;
  sums: MirrorSums | null;
  /** Entries of the previous ledger for the same mirror and root, trusted when the size still matches. */
  previous: Record<string, LedgerFile>;
  /** Re-hash files that are already there instead of trusting the previous ledger. */
  recheck: boolean;
  http: HttpSettings;
  onBytes?: (bytes: number) => void;
}

export type FileAction = 'downloaded' | 'resumed' | 'copied' | 'in-place' | 'kept';

export type FileOutcome =
  | { kind: 'done'; path: string; action: FileAction; entry: LedgerFile }
  | { kind: 'absent'; path: string; optional: true; detail: string }
  | { kind: 'failed'; path: string; optional: boolean; reason: string; detail: string };

interface Expected {
  sha256?: string;
  verified: LedgerFile['verified'];
  from: string;
}

function expectedHash(file: RawFileSpec, sums: MirrorSums | null): Expected {
  const fromMirror = sums?.sums.get(file.path);
  if (fromMirror) return { sha256: fromMirror, verified: 'mirror', from: sums!.where };
  if (file.sha256) return { sha256: file.sha256.toLowerCase(), verified: 'spec', from: 'the spec' };
  return { verified: 'unverified', from: 'nothing' };
}

const locationUrl = (location: Location) => (location.kind === 'url' ? location.url : pathToFileURL(location.file).href);

const entryFor = (url: string, bytes: number, sha256: string, expected: Expected): LedgerFile =>
  ({ url, bytes, sha256, verified: expected.verified, fetchedAt: new Date().toISOString() });

function mismatch(what: string, where: string, expected: Expected, actual: string): FetchFailure {
  return new FetchFailure(
    'hash-mismatch',
    `${what}: ${where} has sha256 ${actual}, expected ${expected.sha256} (from ${expected.from}); the file is not used`,
    false,
  );
}

/** The file already at `target`, if it is the right one: trusted from the ledger by size, else re-hashed. */
async function existing(target: string, url: string, file: RawFileSpec, expected: Expected, ctx: SpecFileContext, what: string): Promise<LedgerFile | null> {
  if (!existsSync(target)) return null;
  const { size } = await stat(target);
  const recorded = ctx.previous[file.path];
  const agrees = recorded && recorded.bytes === size && (expected.sha256 === undefined || recorded.sha256 === expected.sha256);
  if (agrees && !ctx.recheck) return recorded;
  const sha256 = await sha256File(target);
  if (expected.sha256 !== undefined && sha256 !== expected.sha256) {
    if (ctx.inPlace) throw mismatch(what, target, expected, sha256);
    return null;
  }
  return entryFor(url, size, sha256, expected);
}

async function copyVerified(from: string, target: string, url: string, expected: Expected, what: string): Promise<LedgerFile> {
  if (!existsSync(from)) throw new FetchFailure('missing', `${what}: not in the mirror at ${from}`, false);
  const part = partPath(target);
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(from, part);
  const sha256 = await sha256File(part);
  if (expected.sha256 !== undefined && sha256 !== expected.sha256) {
    await rm(part, { force: true });
    throw mismatch(what, from, expected, sha256);
  }
  const { size } = await stat(part);
  await fsyncFile(part);
  await rename(part, target);
  return entryFor(url, size, sha256, expected);
}

/** Statuses that mean "this mirror does not have the file", which is fine for an optional one. */
const ABSENT = new Set(['missing', 'http-404', 'http-410']);

async function obtain(file: RawFileSpec, ctx: SpecFileContext, what: string): Promise<FileOutcome> {
  let target: string;
  let location: Location;
  try {
    target = resolveInside(ctx.root, file.path, `${ctx.source} spec path`);
    location = specFileLocation(ctx.mirror, ctx.source, file);
  } catch (err) {
    throw new FetchFailure('bad-path', `${what}: ${(err as Error).message}`, false);
  }
  const expected = expectedHash(file, ctx.sums);
  const url = locationUrl(location);
  const kept = await existing(target, url, file, expected, ctx, what);
  if (kept) return { kind: 'done', path: file.path, action: ctx.inPlace ? 'in-place' : 'kept', entry: kept };
  if (ctx.inPlace) throw new FetchFailure('missing', `${what}: not in the mirror at ${target}`, false);
  if (location.kind === 'file') {
    return { kind: 'done', path: file.path, action: 'copied', entry: await copyVerified(location.file, target, url, expected, what) };
  }
  const result = await downloadFile(location.url, target, { http: ctx.http, expectedSha256: expected.sha256, what, onBytes: ctx.onBytes });
  return {
    kind: 'done',
    path: file.path,
    action: result.resumedFrom > 0 ? 'resumed' : 'downloaded',
    entry: entryFor(url, result.bytes, result.sha256, expected),
  };
}

export async function obtainSpecFile(file: RawFileSpec, ctx: SpecFileContext): Promise<FileOutcome> {
  const what = `${ctx.source}: ${file.path}`;
  try {
    return await obtain(file, ctx, what);
  } catch (err) {
    if (!(err instanceof FetchFailure)) throw err;
    if (file.optional && ABSENT.has(err.reason)) return { kind: 'absent', path: file.path, optional: true, detail: err.message };
    return { kind: 'failed', path: file.path, optional: file.optional === true, reason: err.reason, detail: err.message };
  }
}
