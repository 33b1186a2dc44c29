/**
 * Random access to records: one record batch is read through its part's footer (never the whole
 * file) and kept, decoded lazily row by row, in a cache bounded by bytes; parts stay open in a
 * bounded set of file handles. Concurrent reads of one batch share a single file read.
 */
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import type { InstructRecord } from '../record.ts';
import { recordReader } from '../shards/record-rows.ts';
import { ShardReader } from '../shards/shard-reader.ts';
import { LruCache } from './lru.ts';
import { OpenFiles } from './open-files.ts';
import { describeLocation, type RecordLocation } from './record-locator.ts';

export interface RecordCacheOptions {
  /** Parts kept open at once. */
  openFiles?: number;
  /** Bytes of record batches kept in memory (a batch heavier than this alone is still kept). */
  batchCacheBytes?: number;
}

export const DEFAULT_RECORD_CACHE: Required<RecordCacheOptions> = { openFiles: 32, batchCacheBytes: 256 * 1024 * 1024 };

interface CachedBatch {
  readRow: (row: number) => InstructRecord;
  rows: number;
}

export interface RecordSourceStats {
  /** Record batches read from disk. */
  batchReads: number;
  /** Parts opened (reopening after eviction counts again). */
  fileOpens: number;
  cachedBatches: number;
  cachedBytes: number;
}

export class RecordSource {
  private readonly files: OpenFiles<ShardReader>;
  private readonly batches: LruCache<string, Promise<CachedBatch>>;
  private batchReads = 0;

  constructor(shardsDir: string, options: RecordCacheOptions = {}) {
    const { openFiles, batchCacheBytes } = { ...DEFAULT_RECORD_CACHE, ...options };
    this.files = new OpenFiles(openFiles, (shard) => ShardReader.open(path.join(shardsDir, shard)), (reader) => reader.close());
    this.batches = new LruCache(batchCacheBytes);
  }

  async read(at: RecordLocation): Promise<InstructRecord> {
    try {
      const batch = await this.batch(at.shard, at.batch);
      if (at.row >= batch.rows) throw new RangeError(`the record batch has ${batch.rows} rows; the manifest does not match the shard, rebuild it`);
      return batch.readRow(at.row);
    } catch (err) {
      throw new Error(`${describeLocation(at)}: ${(err as Error).message}`, { cause: err });
    }
  }

  stats(): RecordSourceStats {
    return { batchReads: this.batchReads, fileOpens: this.files.opens, cachedBatches: this.batches.size, cachedBytes: this.batches.weight };
  }

  async close(): Promise<void> {
    this.batches.clear();
    await this.files.close();
  }

  private batch(shard: string, index: number): Promise<CachedBatch> {
    const key = `${shard}#${index}`;
    const cached = this.batches.get(key);
    if (cached) return cached;
    this.batchReads++;
    const loading = this.files.use(shard, (reader) => reader.readRecordBatch(index)).then((batch: RecordBatch) => {
      this.batches.setWeight(key, batch.data.byteLength);
      return { readRow: recordReader(batch), rows: batch.numRows };
    });
    // Weight 0 until the bytes are known; a failed read is dropped so a retry reads again.
    this.batches.set(key, loading, 0);
    loading.catch(() => {
      if (this.batches.peek(key) === loading) this.batches.delete(key);
    });
    return loading;
  }
}
