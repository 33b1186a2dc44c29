/**
 * What a record export covers: the built (dataset, split) pairs named by --datasets and --splits,
 * found through their manifests. A name that matches nothing is an error, so a typo never exports
 * less than was asked for.
 */
import { readAllManifests } from '../shards/manifest.ts';
import type { ShardEntry } from '../shards/shard-writer.ts';

export interface SplitSelection {
  dataset: string;
  split: string;
  heldOut: boolean;
  records: number;
  /** Parts in manifest order, paths relative to the shards folder. */
  shards: ShardEntry[];
}

export interface SelectionFilter {
  /** Dataset ids; all built datasets when absent or empty. */
  datasets?: readonly string[];
  /** Split names; every split of each dataset when absent or empty. */
  splits?: readonly string[];
}

export function selectSplits(manifestsDir: string, filter: SelectionFilter = {}): SplitSelection[] {
  const manifests = readAllManifests(manifestsDir);
  if (manifests.length === 0) throw new Error(`no dataset manifests in ${manifestsDir}; run build-shards first`);
  const built = manifests.map((m) => m.dataset);
  const unknown = (filter.datasets ?? []).filter((d) => !built.includes(d));
  if (unknown.length > 0) throw new Error(`not built: ${unknown.join(', ')} (built: ${built.join(', ')}); run build-shards for them`);

  const wantDataset = (id: string) => !filter.datasets?.length || filter.datasets.includes(id);
  const wantSplit = (split: string) => !filter.splits?.length || filter.splits.includes(split);
  const selected = manifests.filter((m) => wantDataset(m.dataset)).flatMap((m) => Object.entries(m.splits)
    .filter(([split]) => wantSplit(split))
    .map(([split, entry]): SplitSelection => ({
      dataset: m.dataset, split, heldOut: m.heldOut, records: entry.records, shards: entry.shards,
    })));
  for (const split of filter.splits ?? []) {
    if (!selected.some((s) => s.split === split)) throw new Error(`no selected dataset has a split "${split}"`);
  }
  return selected;
}
