/** Which catalog datasets a build-shards run builds, from --datasets / --held-in / --held-out. */
import type { DatasetInfo } from '../../catalog.ts';
import type { SourceAdapter } from '../../sources/types.ts';

export interface DatasetChoice {
  datasets: string[];
  heldIn: boolean;
  heldOut: boolean;
}

export interface DatasetSelection {
  /** Datasets to build, in catalog order. */
  build: string[];
  /** Datasets chosen by group (or by default) that no adapter produces yet. */
  withoutAdapter: string[];
}

/**
 * Named datasets must exist and have an adapter; --held-in/--held-out narrow (or, alone, choose) a
 * group; no option means every dataset that has an adapter.
 */
export function selectDatasets(choice: DatasetChoice, catalog: readonly DatasetInfo[], adapters: readonly SourceAdapter[]): DatasetSelection {
  const known = new Set(catalog.map((d) => d.id));
  const unknown = choice.datasets.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`unknown dataset(s): ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  const produced = new Set(adapters.flatMap((a) => a.spec.datasets));
  const missing = choice.datasets.filter((id) => !produced.has(id));
  if (missing.length > 0) throw new Error(`no adapter produces ${missing.join(', ')} yet (pipelines/sources/<source>/adapter.ts)`);
  const named = new Set(choice.datasets);
  const inGroup = (d: DatasetInfo) => (!choice.heldIn && !choice.heldOut) || (choice.heldIn && !d.heldOut) || (choice.heldOut && d.heldOut);
  const chosen = catalog.filter((d) => (named.size === 0 || named.has(d.id)) && inGroup(d));
  return {
    build: chosen.filter((d) => produced.has(d.id)).map((d) => d.id),
    withoutAdapter: chosen.filter((d) => !produced.has(d.id)).map((d) => d.id),
  };
}
