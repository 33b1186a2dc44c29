/**
 * Manifests (DESIGN.md "Manifests"): manifests/<dataset>.json describes one built dataset and the
 * shards it wrote; manifests/index.json lists every built dataset. Both are written atomically and
 * last, so a manifest that exists describes shards that exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Task, TaskCategory } from '../catalog.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { datasetManifestPath, indexManifestPath } from './layout.ts';
import type { ShardEntry } from './shard-writer.ts';

export const MANIFEST_FORMAT = 1;

export interface RawInput {
  source: string;
  /** Path under raw/<source>/. */
  path: string;
  url: string;
  bytes: number;
  sha256: string;
}

export interface SplitManifest {
  records: number;
  quarantined: {
    total: number;
    reasons: Record<string, number>;
    /** Relative to the shards folder; null when nothing was quarantined. */
    file: string | null;
  };
  /** Records left out by documented rules, per rule. */
  skipped: Record<string, number>;
  shards: ShardEntry[];
}

export interface MediaStats {
  /** Distinct media-store keys the dataset's records point to. */
  imagesReferenced: number;
  /** Images (and video frames) this build added to the store. */
  newImagesStored: number;
  newImageBytes: number;
  videos: number;
}

export interface DatasetManifest {
  format: number;
  dataset: string;
  title: string;
  category: TaskCategory;
  task: Task;
  heldOut: boolean;
  license: string;
  citation: string;
  source: string;
  adapterVersion: string;
  rawInputs: RawInput[];
  splits: Record<string, SplitManifest>;
  media: MediaStats;
  builtAt: string;
  buildSeconds: number;
}

export interface IndexEntry {
  dataset: string;
  category: TaskCategory;
  heldOut: boolean;
  records: Record<string, number>;
  /** Records in the catalog's training splits: what the default mixture weighs. */
  trainingRecords: number;
  quarantined: number;
  bytes: number;
  /** p ∝ sqrt(training records) over built held-in datasets; null for held-out sets. */
  samplingProbability: number | null;
}

export interface ManifestIndex {
  format: number;
  builtAt: string;
  datasets: IndexEntry[];
  media: { parts: number; images: number; bytes: number };
}

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${file}: cannot read ${what} (${(err as Error).message}); rerun build-shards`);
  }
}

export function readDatasetManifest(manifestsDir: string, dataset: string): DatasetManifest | null {
  const file = datasetManifestPath(manifestsDir, dataset);
  return existsSync(file) ? readJson<DatasetManifest>(file, `the manifest of "${dataset}"`) : null;
}

export function writeDatasetManifest(manifestsDir: string, manifest: DatasetManifest): Promise<void> {
  return writeJsonAtomic(datasetManifestPath(manifestsDir, manifest.dataset), manifest);
}

/** Marks a dataset "not built" before its shards are touched. */
export function removeDatasetManifest(manifestsDir: string, dataset: string): Promise<void> {
  return rm(datasetManifestPath(manifestsDir, dataset), { force: true });
}

/** Every dataset manifest present, by dataset id. */
const NOT_DATASET_MANIFESTS = new Set(['index.json', 'lock.json']);

export function readAllManifests(manifestsDir: string): DatasetManifest[] {
  if (!existsSync(manifestsDir)) return [];
  return readdirSync(manifestsDir)
    // index.json and lock.json (pipelines/lock) sit beside the dataset manifests.
    .filter((f) => f.endsWith('.json') && !NOT_DATASET_MANIFESTS.has(f))
    .sort()
    .map((f) => readJson<DatasetManifest>(`${manifestsDir}/${f}`, 'a dataset manifest'))
    .filter((m) => typeof m.dataset === 'string' && m.splits !== undefined);
}

export function readIndex(manifestsDir: string): ManifestIndex | null {
  const file = indexManifestPath(manifestsDir);
  return existsSync(file) ? readJson<ManifestIndex>(file, 'the manifest index') : null;
}

export function writeIndex(manifestsDir: string, index: ManifestIndex): Promise<void> {
  return writeJsonAtomic(indexManifestPath(manifestsDir), index);
}
