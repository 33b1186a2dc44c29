/** Whether a dataset's manifest still describes what a build would produce now. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FORMAT, type DatasetManifest, type RawInput } from '../manifest.ts';
import { sameInputs } from './raw-inputs.ts';

const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
};

/**
 * Null when up to date, else why it must be rebuilt. The raw inputs are asked for last, only when
 * everything else matches: hashing them takes as long as reading them, and a dataset that is not
 * built yet starts building while they are hashed.
 */
export async function staleReason(
  manifest: DatasetManifest | null, adapterVersion: string, inputs: () => Promise<readonly RawInput[]>, shardsDir: string, storedImages: number,
): Promise<string | null> {
  if (!manifest) return 'not built';
  if (manifest.format !== MANIFEST_FORMAT) return `manifest format ${manifest.format}, now ${MANIFEST_FORMAT}`;
  if (manifest.adapterVersion !== adapterVersion) return `adapter version ${manifest.adapterVersion} -> ${adapterVersion}`;
  for (const split of Object.values(manifest.splits)) {
    for (const shard of split.shards) {
      if (sizeOf(path.join(shardsDir, shard.path)) !== shard.bytes) return `${shard.path} is missing or changed`;
    }
  }
  if (manifest.media.imagesReferenced > 0 && storedImages === 0) return 'the media store is empty';
  if (!sameInputs(manifest.rawInputs, await inputs())) return 'raw inputs changed';
  return null;
}
