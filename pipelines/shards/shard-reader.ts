/**
 * Reads record shards. A ShardReader opens one part and reads one record batch at a time by index
 * through the footer (never the whole file); readSplit iterates every record of a built split in
 * order, one batch in memory at a time.
 */
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { type InstructRecord, RECORD_SCHEMA } from '../record.ts';
import { ArrowPartReader } from './arrow-part-reader.ts';
import { readDatasetManifest } from './manifest.ts';
import { batchToRecords, recordReader } from './record-rows.ts';
import type { ShardEntry } from './shard-writer.ts';

export class ShardReader {
  private constructor(private readonly part: ArrowPartReader) {}

  /** Opens a part; a file that is not a complete Arrow file of RECORD_SCHEMA is an error naming it. */
  static async open(file: string): Promise<ShardReader> {
    return new ShardReader(await ArrowPartReader.open(file, RECORD_SCHEMA));
  }

  get file(): string {
    return this.part.file;
  }

  get numBatches(): number {
    return this.part.numBatches;
  }

  /** The raw Arrow batch, for callers that read a few columns or rows only. */
  readRecordBatch(index: number): Promise<RecordBatch> {
    return this.part.readBatch(index);
  }

  async readBatch(index: number): Promise<InstructRecord[]> {
    return batchToRecords(await this.part.readBatch(index));
  }

  /** One record of batch `index`, decoding only that row. */
  async readRecord(index: number, row: number): Promise<InstructRecord> {
    const batch = await this.part.readBatch(index);
    if (row < 0 || row >= batch.numRows) throw new RangeError(`${this.file}: batch ${index} has ${batch.numRows} rows, not row ${row}`);
    return recordReader(batch)(row);
  }

  async *records(): AsyncGenerator<InstructRecord> {
    for (let b = 0; b < this.numBatches; b++) yield* await this.readBatch(b);
  }

  close(): Promise<void> {
    return this.part.close();
  }
}

/** Every record of the given parts, in order. */
export async function* readShards(shardsDir: string, shards: readonly ShardEntry[]): AsyncGenerator<InstructRecord> {
  for (const entry of shards) {
    const reader = await ShardReader.open(path.join(shardsDir, entry.path));
    try {
      yield* reader.records();
    } finally {
      await reader.close();
    }
  }
}

export interface ShardDirs {
  shardsDir: string;
  manifestsDir: string;
}

/** Every record of a built split, found through its manifest. */
export async function* readSplit(dirs: ShardDirs, dataset: string, split: string): AsyncGenerator<InstructRecord> {
  const manifest = readDatasetManifest(dirs.manifestsDir, dataset);
  if (!manifest) throw new Error(`dataset "${dataset}" is not built (no manifest in ${dirs.manifestsDir}); run build-shards`);
  const entry = manifest.splits[split];
  if (!entry) throw new Error(`dataset "${dataset}" has no split "${split}"; it has ${Object.keys(manifest.splits).join(', ')}`);
  yield* readShards(dirs.shardsDir, entry.shards);
}
