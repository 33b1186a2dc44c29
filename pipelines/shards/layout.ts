/** Where things live under the shards and manifests folders (DESIGN.md "Layout"). */
import path from 'node:path';

export const partName = (index: number) => `part-${String(index).padStart(5, '0')}.arrow`;

export const PART_NAME_PATTERN = /^part-(\d{5,})\.arrow$/;

/** shards/<dataset>/<split>, relative to the shards folder. */
export const splitDir = (dataset: string, split: string) => path.posix.join(dataset, split);

export const quarantineFile = (dataset: string, split: string) => path.posix.join(splitDir(dataset, split), 'quarantine.jsonl');

export const MEDIA_DIR = 'media';

export const datasetManifestPath = (manifestsDir: string, dataset: string) => path.join(manifestsDir, `${dataset}.json`);

export const indexManifestPath = (manifestsDir: string) => path.join(manifestsDir, 'index.json');
