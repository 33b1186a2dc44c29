/**
 * What a run's data was: the sha256 of every shard of the datasets it reads (all their splits, so
 * validation data counts too), and of manifests/lock.json when there is one. A resume compares it
 * with the checkpoint's, so training never silently continues on different shards.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';

export interface DataFingerprint {
  /** dataset -> split -> shard path -> sha256 */
  datasets: Record<string, Record<string, Record<string, string>>>;
  /** sha256 of manifests/lock.json, or null when the manifests have no lock file. */
  lock: string | null;
}

export const LOCK_FILE = 'lock.json';

export function dataFingerprint(manifestsDir: string, datasets: readonly string[]): DataFingerprint {
  const out: DataFingerprint['datasets'] = {};
  for (const dataset of [...datasets].sort()) {
    const manifest = readDatasetManifest(manifestsDir, dataset);
    if (!manifest) throw new Error(`dataset ${dataset} is not built (no manifest in ${manifestsDir}); run build-shards`);
    out[dataset] = Object.fromEntries(Object.entries(manifest.splits).sort(([a], [b]) => (a < b ? -1 : 1)).map(([split, entry]) => [
      split, Object.fromEntries(entry.shards.map((s) => [s.path, s.sha256])),
    ]));
  }
  const lockFile = path.join(manifestsDir, LOCK_FILE);
  const lock = existsSync(lockFile) ? createHash('sha256').update(readFileSync(lockFile)).digest('hex') : null;
  return { datasets: out, lock };
}
