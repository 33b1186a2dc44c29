/**
 * Test helpers for the held-out source adapters: run an adapter to the end, check that media
 * references decode, and make mutated copies of a sample mirror in a temporary folder.
 */
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { urlMirrorPath } from '../../pipelines/fetch/mirror-locations.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { makeMirror } from '../../pipelines/sample/mirror.ts';
import { SUMS_FILE } from '../../pipelines/sample/sha256sums.ts';
import { writeZip, type ArchiveEntry } from '../../pipelines/sample/zip-writer.ts';
import { loadSampleMaker, sampleDir } from '../../pipelines/sources/registry.ts';
import type { MediaRef, Quarantine, Skip, SourceAdapter, SourceRecord } from '../../pipelines/sources/types.ts';

export interface AdapterRun {
  records: SourceRecord[];
  quarantines: Quarantine[];
  skips: Skip[];
}

export async function runAdapter(adapter: SourceAdapter, raw: RawAccess): Promise<AdapterRun> {
  const run: AdapterRun = { records: [], quarantines: [], skips: [] };
  for await (const out of adapter.read(raw)) {
    if ('record' in out) run.records.push(out.record);
    else if ('quarantine' in out) run.quarantines.push(out.quarantine);
    else run.skips.push(out.skip);
  }
  return run;
}

/** Counts of records per `<dataset>/<split>`, and of skips per `<dataset>/<split>/<rule>`. */
export const recordCounts = (run: AdapterRun) => countBy(run.records.map((r) => `${r.dataset}/${r.split}`));
export const skipCounts = (run: AdapterRun) => countBy(run.skips.map((s) => `${s.dataset}/${s.split}/${s.rule}`));

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

export const sampleRaw = () => new RawAccess((s) => sampleDir(s));

export function readMedia(raw: RawAccess, ref: MediaRef): Promise<Buffer> {
  return ref.member ? raw.readMember(ref.source, ref.path, ref.member) : raw.readFile(ref.source, ref.path);
}

/** Every media reference of every record resolves to an image sharp can read. */
export async function assertImagesDecode(raw: RawAccess, records: SourceRecord[]): Promise<void> {
  const seen = new Set<string>();
  for (const record of records) {
    assert.ok(record.media.length > 0, `${record.id} has no media`);
    for (const ref of record.media) {
      const key = `${ref.source}/${ref.path}/${ref.member ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const meta = await sharp(await readMedia(raw, ref)).metadata();
      assert.ok((meta.width ?? 0) > 0 && (meta.height ?? 0) > 0, `${key} does not decode`);
    }
  }
}

/** A copy of sample mirrors in a temporary folder, for mutation; `cleanup` removes it. */
export function copySamples(...sources: string[]): { dir: string; raw: RawAccess; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'heldout-'));
  for (const s of sources) cpSync(sampleDir(s), path.join(dir, s), { recursive: true });
  const raw = RawAccess.under(dir);
  return { dir, raw, cleanup: async () => { await raw.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function zipEntries(raw: RawAccess, source: string, archive: string): Promise<ArchiveEntry[]> {
  const names = await raw.members(source, archive);
  return Promise.all(names.map(async (name) => ({ name, data: await raw.readMember(source, archive, name) })));
}

/** Rewrites one archive of a copied mirror, changing its entries with `edit`. */
export async function editZip(dir: string, source: string, archive: string, edit: (entries: ArchiveEntry[]) => ArchiveEntry[]): Promise<void> {
  const reader = RawAccess.under(dir);
  const entries = await zipEntries(reader, source, archive);
  await reader.close();
  await writeZip(path.join(dir, source, archive), edit(entries));
}

/** Rewrites a JSON entry of an archive of a copied mirror. */
export function editZipJson(dir: string, source: string, archive: string, member: string, edit: (value: any) => unknown): Promise<void> {
  return editZip(dir, source, archive, (entries) => entries.map((e) => (e.name === member
    ? { name: e.name, data: Buffer.from(JSON.stringify(edit(JSON.parse(e.data.toString('utf8'))))) }
    : e)));
}

/** The committed sample mirror equals a fresh make-sample run (scale 1, seed 1), file by file. */
export async function assertSampleIsFresh(source: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `${source}-fresh-`));
  try {
    await makeMirror(await loadSampleMaker(source), path.join(dir, source), { scale: 1, seed: 1 });
    const fresh = readFileSync(path.join(dir, source, SUMS_FILE), 'utf8');
    assert.equal(readFileSync(path.join(sampleDir(source), SUMS_FILE), 'utf8'), fresh, `${source}: rerun npm run make-sample -- --sources ${source}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Does what ingest does for a URL-list source on a copied mirror: every image of the list is
 * copied from the mirror's urls/<host>/<path> to its list path, except the URLs in `missing`.
 */
export async function fetchUrlList(adapter: SourceAdapter, copy: { dir: string; raw: RawAccess }, source: string, missing: string[] = []): Promise<number> {
  let fetched = 0;
  for await (const { url, path: rel } of adapter.urlList!(copy.raw)) {
    if (missing.includes(url)) continue;
    const target = path.join(copy.dir, source, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(sampleDir(source), urlMirrorPath(url)), target);
    fetched++;
  }
  return fetched;
}
