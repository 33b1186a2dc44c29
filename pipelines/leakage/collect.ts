/**
 * Reads, from built shards and the media store, every image occurrence the leakage report joins:
 * held-in datasets' training splits on one side, held-out datasets' evaluation splits on the other.
 */
import { CATALOG } from '../catalog.ts';
import { MediaReader } from '../media/media-reader.ts';
import { readDatasetManifest } from '../shards/manifest.ts';
import { readSplit, type ShardDirs } from '../shards/shard-reader.ts';
import type { ImageUse } from './overlap.ts';

export interface CollectedUses {
  heldIn: ImageUse[];
  heldOut: ImageUse[];
  /** Datasets with no manifest: they take no part in the report. */
  notBuilt: string[];
}

export async function collectImageUses(dirs: ShardDirs): Promise<CollectedUses> {
  const media = await MediaReader.open(dirs.shardsDir);
  const phashes = new Map<string, string>();
  const phashOf = async (key: string) => {
    let phash = phashes.get(key);
    if (phash === undefined) {
      phash = (await media.get(key)).phash;
      phashes.set(key, phash);
    }
    return phash;
  };
  const collected: CollectedUses = { heldIn: [], heldOut: [], notBuilt: [] };
  try {
    for (const info of CATALOG) {
      const manifest = readDatasetManifest(dirs.manifestsDir, info.id);
      if (!manifest) {
        collected.notBuilt.push(info.id);
        continue;
      }
      const splits = (info.heldOut ? info.evalSplits : info.trainSplits).filter((s) => s in manifest.splits);
      const into = info.heldOut ? collected.heldOut : collected.heldIn;
      for (const split of splits) {
        for await (const record of readSplit(dirs, info.id, split)) {
          for (const key of record.images) {
            into.push({ dataset: info.id, split, recordId: record.id, key, phash: await phashOf(key) });
          }
        }
      }
    }
  } finally {
    await media.close();
  }
  return collected;
}
