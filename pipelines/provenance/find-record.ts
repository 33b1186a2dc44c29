/**
 * Finds a record by id: the id names its dataset and split (`<dataset>/<split>/<native id>`), the
 * manifest names the split's parts, and only the `id` column of each record batch is read until
 * the record turns up.
 */
import path from 'node:path';
import { datasetInfo } from '../catalog.ts';
import type { InstructRecord } from '../record.ts';
import { columnReader } from '../shards/column-decoder.ts';
import { type DatasetManifest, readDatasetManifest } from '../shards/manifest.ts';
import { ShardReader } from '../shards/shard-reader.ts';

export interface FoundRecord {
  record: InstructRecord;
  manifest: DatasetManifest;
  shard: string;
  batch: number;
  row: number;
  /** Position in the split, from 0. */
  positionInSplit: number;
  /** The sampler's record index when the split is one of the dataset's training splits, else null. */
  trainingIndex: number | null;
}

export function parseRecordId(id: string): { dataset: string; split: string } {
  const [dataset, split, ...rest] = id.split('/');
  if (!dataset || !split || rest.length === 0) throw new Error(`"${id}" is not a record id (<dataset>/<split>/<native id>)`);
  return { dataset, split };
}

/** Records in the dataset's training splits that come before `split` (the sampler counts through them in order). */
function trainingOffset(manifest: DatasetManifest, split: string): number | null {
  const splits = datasetInfo(manifest.dataset).trainSplits;
  const at = splits.indexOf(split);
  if (at < 0) return null;
  return splits.slice(0, at).reduce((sum, s) => sum + (manifest.splits[s]?.records ?? 0), 0);
}

export async function findRecord(shardsDir: string, manifestsDir: string, id: string): Promise<FoundRecord> {
  const { dataset, split } = parseRecordId(id);
  const manifest = readDatasetManifest(manifestsDir, dataset);
  if (!manifest) throw new Error(`record ${id}: dataset "${dataset}" is not built (no manifest in ${manifestsDir})`);
  const entry = manifest.splits[split];
  if (!entry) throw new Error(`record ${id}: dataset "${dataset}" has no split "${split}" (it has ${Object.keys(manifest.splits).join(', ')})`);
  const offset = trainingOffset(manifest, split);
  let position = 0;
  for (const shard of entry.shards) {
    const reader = await ShardReader.open(path.join(shardsDir, shard.path));
    try {
      for (let batch = 0; batch < reader.numBatches; batch++) {
        const data = await reader.readRecordBatch(batch);
        const idField = data.schema.fields.findIndex((f) => f.name === 'id');
        const ids = columnReader(data.data.children[idField], data.schema.fields[idField]);
        for (let row = 0; row < data.numRows; row++, position++) {
          if (ids(row) !== id) continue;
          const record = await reader.readRecord(batch, row);
          return { record, manifest, shard: shard.path, batch, row, positionInSplit: position, trainingIndex: offset === null ? null : offset + position };
        }
      }
    } finally {
      await reader.close();
    }
  }
  throw new Error(`record ${id} is not in ${dataset}/${split} (${entry.records} records in ${entry.shards.length} parts)`);
}
