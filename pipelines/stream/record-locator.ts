/**
 * Where the sampler's record index points: the mixture numbers a dataset's training records
 * through its training splits in catalog order, the shards in manifest order and the rows in
 * shard order. The manifest's per-part record-batch lengths turn that index into (part, record
 * batch, row) with one binary search, without opening any file.
 */
import { datasetInfo } from '../catalog.ts';
import type { DatasetManifest } from '../shards/manifest.ts';

export interface RecordLocation {
  dataset: string;
  split: string;
  /** The part, relative to the shards folder. */
  shard: string;
  batch: number;
  row: number;
  /** The sampler's record index. */
  index: number;
}

export class TrainingRecordLocator {
  private constructor(
    readonly dataset: string,
    readonly size: number,
    /** First record index of each record batch, over all training parts in order. */
    private readonly batchStarts: Float64Array,
    private readonly batchIndex: Int32Array,
    private readonly batchPart: Int32Array,
    private readonly parts: readonly { split: string; shard: string }[],
  ) {}

  static fromManifest(manifest: DatasetManifest): TrainingRecordLocator {
    const { dataset } = manifest;
    const starts: number[] = [];
    const indexes: number[] = [];
    const partOf: number[] = [];
    const parts: { split: string; shard: string }[] = [];
    let total = 0;
    for (const split of datasetInfo(dataset).trainSplits) {
      const entry = manifest.splits[split];
      if (!entry) throw new Error(`dataset ${dataset}: the manifest has no training split "${split}" (it has ${Object.keys(manifest.splits).join(', ') || 'none'}); rebuild it with build-shards`);
      let splitRecords = 0;
      for (const shard of entry.shards) {
        const batchRows = shard.batchRows;
        if (!Array.isArray(batchRows)) throw new Error(`dataset ${dataset}, shard ${shard.path}: the manifest lists no record-batch lengths (batchRows); rebuild it with build-shards`);
        const rows = batchRows.reduce((a, b) => a + b, 0);
        if (rows !== shard.records) throw new Error(`dataset ${dataset}, shard ${shard.path}: record batches hold ${rows} rows but the manifest says ${shard.records} records; rebuild it`);
        parts.push({ split, shard: shard.path });
        batchRows.forEach((n, b) => {
          if (n === 0) return;
          starts.push(total);
          indexes.push(b);
          partOf.push(parts.length - 1);
          total += n;
        });
        splitRecords += rows;
      }
      if (splitRecords !== entry.records) throw new Error(`dataset ${dataset}, split ${split}: shards hold ${splitRecords} records but the manifest says ${entry.records}; rebuild it`);
    }
    return new TrainingRecordLocator(dataset, total, Float64Array.from(starts), Int32Array.from(indexes), Int32Array.from(partOf), parts);
  }

  locate(index: number): RecordLocation {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`dataset ${this.dataset}: record index ${index} is outside its ${this.size} training records`);
    }
    let lo = 0;
    let hi = this.batchStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.batchStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    const part = this.parts[this.batchPart[lo]];
    return { dataset: this.dataset, split: part.split, shard: part.shard, batch: this.batchIndex[lo], row: index - this.batchStarts[lo], index };
  }
}

export function describeLocation(at: RecordLocation): string {
  return `dataset ${at.dataset}, shard ${at.shard}, record batch ${at.batch}, row ${at.row} (training record ${at.index})`;
}
