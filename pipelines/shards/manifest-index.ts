/** manifests/index.json from the dataset manifests: counts and default-mixture probabilities. */
import { CATALOG, datasetInfo } from '../catalog.ts';
import type { DatasetManifest, IndexEntry, ManifestIndex } from './manifest.ts';
import { MANIFEST_FORMAT } from './manifest.ts';
import { sqrtProbabilities } from './sampling-weights.ts';

export function trainingRecords(manifest: DatasetManifest): number {
  const info = datasetInfo(manifest.dataset);
  return info.trainSplits.reduce((sum, split) => sum + (manifest.splits[split]?.records ?? 0), 0);
}

export function manifestBytes(manifest: DatasetManifest): number {
  return Object.values(manifest.splits).reduce((sum, s) => sum + s.shards.reduce((b, p) => b + p.bytes, 0), 0);
}

export function manifestQuarantined(manifest: DatasetManifest): number {
  return Object.values(manifest.splits).reduce((sum, s) => sum + s.quarantined.total, 0);
}

export function buildIndex(manifests: readonly DatasetManifest[], media: ManifestIndex['media'], builtAt = new Date().toISOString()): ManifestIndex {
  const heldIn = new Map(manifests.filter((m) => !m.heldOut).map((m) => [m.dataset, trainingRecords(m)]));
  const probabilities = sqrtProbabilities(heldIn);
  const order = new Map(CATALOG.map((d, i) => [d.id, i]));
  const sorted = [...manifests].sort((a, b) => (order.get(a.dataset) ?? 0) - (order.get(b.dataset) ?? 0));
  const datasets: IndexEntry[] = sorted.map((m) => ({
    dataset: m.dataset,
    category: m.category,
    heldOut: m.heldOut,
    records: Object.fromEntries(Object.entries(m.splits).map(([split, s]) => [split, s.records])),
    trainingRecords: trainingRecords(m),
    quarantined: manifestQuarantined(m),
    bytes: manifestBytes(m),
    samplingProbability: m.heldOut ? null : probabilities.get(m.dataset) ?? 0,
  }));
  return { format: MANIFEST_FORMAT, builtAt, datasets, media };
}
