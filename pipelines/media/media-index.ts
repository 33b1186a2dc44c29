/**
 * The media store's index: next to each part, part-NNNNN.keys.json lists its keys in row order and
 * its rows per batch, size and sha256. Loading every sidecar gives key -> (part, batch, row)
 * without opening the parts. The sidecar is written after its part is renamed into place; a part
 * left without one by a crash is indexed again from its own key column.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ArrowPartReader } from '../shards/arrow-part-reader.ts';
import { batchToRows } from '../shards/batch-rows.ts';
import { sha256File } from '../util/sha256-file.ts';
import { PART_NAME_PATTERN } from '../shards/layout.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { MEDIA_SCHEMA, type MediaRow } from './media-schema.ts';

export interface MediaPartIndex {
  /** File name inside the media folder. */
  part: string;
  bytes: number;
  sha256: string;
  rows: number;
  batchRows: number[];
  /** Keys in row order. */
  keys: string[];
}

export interface MediaLocation {
  part: number;
  batch: number;
  row: number;
}

export const sidecarName = (part: string) => part.replace(/\.arrow$/, '.keys.json');

export function writeSidecar(mediaDir: string, index: MediaPartIndex): Promise<void> {
  return writeJsonAtomic(path.join(mediaDir, sidecarName(index.part)), index);
}

/** Reads a part's key column batch by batch to rebuild its sidecar. */
async function indexPart(mediaDir: string, part: string): Promise<MediaPartIndex> {
  const file = path.join(mediaDir, part);
  const reader = await ArrowPartReader.open(file, MEDIA_SCHEMA);
  const keys: string[] = [];
  const batchRows: number[] = [];
  try {
    for (let b = 0; b < reader.numBatches; b++) {
      const rows = batchToRows<MediaRow>(await reader.readBatch(b), MEDIA_SCHEMA);
      batchRows.push(rows.length);
      for (const row of rows) keys.push(row.key);
    }
  } finally {
    await reader.close();
  }
  return { part, bytes: statSync(file).size, sha256: await sha256File(file), rows: keys.length, batchRows, keys };
}

export function mediaPartNames(mediaDir: string): string[] {
  if (!existsSync(mediaDir)) return [];
  return readdirSync(mediaDir).filter((f) => PART_NAME_PATTERN.test(f)).sort();
}

export const partNumber = (part: string) => Number(PART_NAME_PATTERN.exec(part)![1]);

export interface LoadedMediaIndex {
  parts: MediaPartIndex[];
  locations: Map<string, MediaLocation>;
}

export function locateKeys(parts: readonly MediaPartIndex[]): Map<string, MediaLocation> {
  const locations = new Map<string, MediaLocation>();
  for (const p of parts) {
    const part = partNumber(p.part);
    let i = 0;
    p.batchRows.forEach((rows, batch) => {
      for (let row = 0; row < rows; row++) locations.set(p.keys[i++], { part, batch, row });
    });
  }
  return locations;
}

/**
 * Loads the index. With `repair`, parts without a sidecar are indexed again and temporary files of
 * an interrupted build are removed (the caller holds the build lock); without it they are ignored.
 */
export async function loadMediaIndex(mediaDir: string, repair: boolean): Promise<LoadedMediaIndex> {
  const parts: MediaPartIndex[] = [];
  if (repair && existsSync(mediaDir)) {
    for (const f of readdirSync(mediaDir).filter((name) => name.endsWith('.tmp'))) await rm(path.join(mediaDir, f), { force: true });
  }
  for (const part of mediaPartNames(mediaDir)) {
    const sidecar = path.join(mediaDir, sidecarName(part));
    if (existsSync(sidecar)) {
      const index = JSON.parse(readFileSync(sidecar, 'utf8')) as MediaPartIndex;
      const size = statSync(path.join(mediaDir, part)).size;
      if (index.bytes !== size || index.keys.length !== index.rows) {
        throw new Error(`media part ${path.join(mediaDir, part)} (${size} bytes) does not match its index ${sidecar} (${index.bytes} bytes); run verify, then delete both files and rebuild`);
      }
      parts.push(index);
    } else if (repair) {
      const index = await indexPart(mediaDir, part);
      await writeSidecar(mediaDir, index);
      parts.push(index);
    }
  }
  return { parts, locations: locateKeys(parts) };
}
