import path from 'node:path';
import { writeJsonAtomic } from '../util/atomic.ts';
import type { ShardDirs } from '../shards/shard-reader.ts';
import { collectImageUses } from './collect.ts';
import { findOverlap, NEAR_DUPLICATE_BITS, type OverlapReport } from './overlap.ts';

export const leakageReportPath = (manifestsDir: string) => path.join(manifestsDir, 'leakage.json');

export interface LeakageResult {
  report: OverlapReport;
  notBuilt: string[];
  file: string;
}

/** Builds the report from the shards and saves it beside the manifests, where inspect reads it. */
export async function runLeakageReport(dirs: ShardDirs, threshold = NEAR_DUPLICATE_BITS): Promise<LeakageResult> {
  const uses = await collectImageUses(dirs);
  const report = findOverlap(uses.heldIn, uses.heldOut, { threshold });
  const file = leakageReportPath(dirs.manifestsDir);
  await writeJsonAtomic(file, { generatedAt: new Date().toISOString(), notBuilt: uses.notBuilt, ...report });
  return { report, notBuilt: uses.notBuilt, file };
}
