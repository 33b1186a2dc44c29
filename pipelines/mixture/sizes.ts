/**
 * Training sizes from manifests/index.json (written by build-shards). Read defensively, since the
 * index format may grow: `datasets` is a list of `{id, splits}` (or a map id → entry), and a split
 * gives its records as `{records: n}` or as a bare number. A dataset's size is the sum over the
 * training splits the catalog names; held-out datasets and entries without those splits are left
 * out, and the plan then asks for their size by name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CATALOG } from '../catalog.ts';

export const DEFAULT_MANIFEST_INDEX = 'manifests/index.json';

/** null when the index does not exist; an error when it exists but cannot be read. */
export function readTrainingSizes(indexPath: string = DEFAULT_MANIFEST_INDEX): Record<string, number> | null {
  if (!existsSync(indexPath)) return null;
  let index: unknown;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (error) {
    throw new Error(`${indexPath}: cannot read the manifest index: ${(error as Error).message}`);
  }
  return trainingSizesFromIndex(index);
}

export function trainingSizesFromIndex(index: unknown): Record<string, number> {
  const listed = (index as { datasets?: unknown } | null)?.datasets;
  const entries: unknown[] = Array.isArray(listed)
    ? listed
    : typeof listed === 'object' && listed !== null
      ? Object.entries(listed).map(([id, entry]) => ({ id, ...(entry as object) }))
      : [];
  const sizes: Record<string, number> = {};
  for (const entry of entries) {
    const { id, splits } = (entry ?? {}) as { id?: unknown; splits?: Record<string, unknown> };
    const info = CATALOG.find((d) => d.id === id);
    if (!info || info.heldOut || typeof splits !== 'object' || splits === null) continue;
    const counts = info.trainSplits.map((split) => recordCount(splits[split]));
    if (counts.every((c) => c !== null)) sizes[info.id] = (counts as number[]).reduce((a, b) => a + b, 0);
  }
  return sizes;
}

function recordCount(split: unknown): number | null {
  const records = typeof split === 'number' ? split : (split as { records?: unknown } | undefined)?.records;
  return typeof records === 'number' && Number.isSafeInteger(records) && records >= 0 ? records : null;
}
