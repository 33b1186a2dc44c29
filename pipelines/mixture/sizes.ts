/**
 * Training sizes from manifests/index.json, as build-shards writes it: each entry's
 * `trainingRecords` counts the records of the catalog's training splits. Held-out datasets have no
 * training size, and datasets that are not built are absent: the plan then asks for their size by name.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { datasetInfo } from '../catalog.ts';
import { readIndex, type ManifestIndex } from '../shards/manifest.ts';

export const DEFAULT_MANIFEST_INDEX = 'manifests/index.json';

/** null when the index does not exist; an error naming the file when it cannot be read. */
export function readTrainingSizes(indexPath: string = DEFAULT_MANIFEST_INDEX): Record<string, number> | null {
  if (!existsSync(indexPath)) return null;
  const index = readIndex(path.dirname(indexPath));
  return index && trainingSizesFromIndex(index);
}

export function trainingSizesFromIndex(index: ManifestIndex): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const entry of index.datasets) {
    if (!entry.heldOut && !datasetInfo(entry.dataset).heldOut) sizes[entry.dataset] = entry.trainingRecords;
  }
  return sizes;
}
