/**
 * verify: re-hashes every shard and media part against what its manifest (or media sidecar) says,
 * and opens it with the reader, so a damaged, truncated or swapped file is named.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Schema } from 'apache-arrow';
import { loadMediaIndex, mediaPartNames, sidecarName } from '../media/media-index.ts';
import { MEDIA_SCHEMA } from '../media/media-schema.ts';
import { RECORD_SCHEMA } from '../record.ts';
import { ArrowPartReader } from './arrow-part-reader.ts';
import { sha256File } from '../util/sha256-file.ts';
import { MEDIA_DIR } from './layout.ts';
import { readAllManifests, readIndex } from './manifest.ts';

export interface VerifyProblem {
  file: string;
  problem: string;
}

export interface VerifyReport {
  datasets: number;
  shards: number;
  mediaParts: number;
  bytes: number;
  problems: VerifyProblem[];
  /** Not errors: media parts an interrupted build left unindexed (the next build indexes them). */
  notes: string[];
}

interface Expected {
  file: string;
  bytes: number;
  sha256: string;
  batchRows: number[];
  schema: Schema;
}

async function checkPart(expected: Expected): Promise<string | null> {
  if (!existsSync(expected.file)) return 'missing';
  const size = statSync(expected.file).size;
  if (size !== expected.bytes) return `${size} bytes, manifest says ${expected.bytes}`;
  const sha = await sha256File(expected.file);
  if (sha !== expected.sha256) return `sha256 ${sha}, manifest says ${expected.sha256}`;
  let reader: ArrowPartReader | null = null;
  try {
    reader = await ArrowPartReader.open(expected.file, expected.schema);
    if (reader.numBatches !== expected.batchRows.length) return `${reader.numBatches} record batches, manifest says ${expected.batchRows.length}`;
    const last = expected.batchRows.length - 1;
    const rows = (await reader.readBatch(last)).numRows;
    if (rows !== expected.batchRows[last]) return `last batch has ${rows} rows, manifest says ${expected.batchRows[last]}`;
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await reader?.close();
  }
}

export async function verifyShards(dirs: { shardsDir: string; manifestsDir: string }): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const notes: string[] = [];
  const expected: Expected[] = [];
  let manifests;
  try {
    manifests = readAllManifests(dirs.manifestsDir);
  } catch (err) {
    return { datasets: 0, shards: 0, mediaParts: 0, bytes: 0, problems: [{ file: dirs.manifestsDir, problem: (err as Error).message }], notes };
  }
  for (const m of manifests) {
    for (const split of Object.values(m.splits)) {
      for (const s of split.shards) expected.push({ file: path.join(dirs.shardsDir, s.path), bytes: s.bytes, sha256: s.sha256, batchRows: s.batchRows, schema: RECORD_SCHEMA });
      const q = split.quarantined.file;
      if (q && !existsSync(path.join(dirs.shardsDir, q))) problems.push({ file: path.join(dirs.shardsDir, q), problem: `missing (manifest of ${m.dataset})` });
    }
  }
  const shards = expected.length;
  const mediaDir = path.join(dirs.shardsDir, MEDIA_DIR);
  try {
    const { parts } = await loadMediaIndex(mediaDir, false);
    for (const p of parts) expected.push({ file: path.join(mediaDir, p.part), bytes: p.bytes, sha256: p.sha256, batchRows: p.batchRows, schema: MEDIA_SCHEMA });
    const indexed = new Set(parts.map((p) => p.part));
    for (const part of mediaPartNames(mediaDir).filter((p) => !indexed.has(p))) {
      notes.push(`${path.join(mediaDir, part)} has no ${sidecarName(part)} (left by an interrupted build); the next build-shards indexes it`);
    }
  } catch (err) {
    problems.push({ file: mediaDir, problem: (err as Error).message });
  }
  const index = readIndex(dirs.manifestsDir);
  const built = new Set(manifests.map((m) => m.dataset));
  for (const entry of index?.datasets ?? []) {
    if (!built.has(entry.dataset)) problems.push({ file: path.join(dirs.manifestsDir, 'index.json'), problem: `lists ${entry.dataset}, which has no manifest` });
  }
  const limit = pLimit(4);
  const results = await Promise.all(expected.map((e) => limit(async () => ({ e, problem: await checkPart(e) }))));
  for (const { e, problem } of results) if (problem) problems.push({ file: e.file, problem });
  return {
    datasets: manifests.length,
    shards,
    mediaParts: expected.length - shards,
    bytes: expected.reduce((n, e) => n + e.bytes, 0),
    problems,
    notes,
  };
}
