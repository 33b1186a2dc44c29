/** Test helpers shared by the COCO-family adapter tests (coco, vqav2, okvqa, aokvqa). */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import sharp from 'sharp';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { jsonBytes } from '../../pipelines/sample/json-bytes.ts';
import { writeZip } from '../../pipelines/sample/zip-writer.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { MediaRef, Quarantine, SourceAdapter, SourceRecord } from '../../pipelines/sources/types.ts';

export interface AdapterRun {
  records: SourceRecord[];
  quarantines: Quarantine[];
}

export async function readAll(adapter: SourceAdapter, raw: RawAccess): Promise<AdapterRun> {
  const run: AdapterRun = { records: [], quarantines: [] };
  for await (const out of adapter.read(raw)) {
    if ('record' in out) run.records.push(out.record);
    else if ('quarantine' in out) run.quarantines.push(out.quarantine);
    else throw new Error(`unexpected skip ${JSON.stringify(out.skip)}`);
  }
  return run;
}

/** Record counts keyed `<dataset>/<split>`. */
export function countsOf(records: SourceRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[`${r.dataset}/${r.split}`] = (counts[`${r.dataset}/${r.split}`] ?? 0) + 1;
  return counts;
}

/** Raw access to the committed sample mirrors, with `overrides` mapping a source to another folder. */
export function sampleRaw(overrides: Record<string, string> = {}): RawAccess {
  const raw = new RawAccess((source) => overrides[source] ?? sampleDir(source));
  after(() => raw.close());
  return raw;
}

/** A scratch folder removed when the test file ends, optionally seeded with some of a source's sample files. */
export function scratchDir(source?: string, files: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'coco-family-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of files) cpSync(path.join(sampleDir(source!), file), path.join(dir, file));
  return dir;
}

/** Reads a JSON entry of a zip in `dir`, lets `edit` change it, and writes the zip back with every other entry as it was. */
export async function editZipJson(dir: string, archive: string, member: string, edit: (json: any) => unknown): Promise<void> {
  const raw = new RawAccess(() => dir);
  const entries = [];
  for (const name of await raw.members('x', archive)) {
    const data = await raw.readMember('x', archive, name);
    entries.push({ name, data: name === member ? jsonBytes(edit(JSON.parse(data.toString('utf8')))) : data });
  }
  await raw.close();
  await writeZip(path.join(dir, archive), entries);
}

export async function readZipJson(raw: RawAccess, source: string, archive: string, member: string): Promise<any> {
  return JSON.parse((await raw.readMember(source, archive, member)).toString('utf8'));
}

export async function mediaBytes(raw: RawAccess, ref: MediaRef): Promise<Buffer> {
  return ref.member ? raw.readMember(ref.source, ref.path, ref.member) : raw.readFile(ref.source, ref.path);
}

/** Every distinct MediaRef decodes as a JPEG of the expected size. */
export async function assertDecodableJpegs(raw: RawAccess, records: SourceRecord[], size = 112): Promise<number> {
  const refs = new Map(records.flatMap((r) => r.media).map((m) => [`${m.path}:${m.member}`, m]));
  for (const ref of refs.values()) {
    const meta = await sharp(await mediaBytes(raw, ref)).metadata();
    if (meta.format !== 'jpeg' || meta.width !== size || meta.height !== size) {
      throw new Error(`${ref.path}:${ref.member} is ${meta.format} ${meta.width}x${meta.height}, expected a ${size}px jpeg`);
    }
  }
  return refs.size;
}

export const reasonsOf = (run: AdapterRun) => run.quarantines.map((q) => q.reason);
