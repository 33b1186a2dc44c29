/**
 * Writes the records of one (dataset, split) as parts shards/<dataset>/<split>/part-NNNNN.arrow:
 * record batches of at most `batchRows` rows (so a reader can fetch one through the footer), parts
 * rolled once they reach `partBytes`. Records are encoded as they arrive; memory holds one batch.
 */
import path from 'node:path';
import type { InstructRecord } from '../record.ts';
import { ArrowPartWriter } from './arrow-part-writer.ts';
import { partName, splitDir } from './layout.ts';
import { RecordBatchBuilder } from './record-rows.ts';

export interface ShardWriterOptions {
  shardsDir: string;
  dataset: string;
  split: string;
  /** Rows per record batch. */
  batchRows?: number;
  /** A part is closed once it holds this many bytes. */
  partBytes?: number;
}

export const DEFAULT_BATCH_ROWS = 4096;
export const DEFAULT_PART_BYTES = 64 * 1024 * 1024;
/** A batch is also cut at this many encoded bytes, so long records (LLaVA) keep batches small. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface ShardEntry {
  /** Relative to the shards folder, with forward slashes. */
  path: string;
  records: number;
  bytes: number;
  sha256: string;
  /** Rows in each record batch, in order. */
  batchRows: number[];
}

export class ShardWriter {
  private readonly builder = new RecordBatchBuilder();
  private part: ArrowPartWriter | null = null;
  /** Parts being synced and renamed, in order, while the next part is written. */
  private readonly closing: Promise<ShardEntry>[] = [];
  private readonly batchRows: number;
  private readonly partBytes: number;
  private readonly batchBytes: number;
  private records = 0;

  constructor(private readonly options: ShardWriterOptions) {
    this.batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    this.batchBytes = Math.max(64 * 1024, Math.min(MAX_BATCH_BYTES, Math.floor(this.partBytes / 4)));
  }

  get count(): number {
    return this.records;
  }

  /** Returns a promise only when a full batch is written; await it before the next append. */
  append(record: InstructRecord): Promise<void> | undefined {
    this.builder.append(record);
    this.records++;
    const rows = this.builder.length;
    // byteSize walks every column, so it is looked at every 64 rows only
    if (rows >= this.batchRows || ((rows & 63) === 0 && this.builder.byteSize >= this.batchBytes)) return this.flushBatch();
    return undefined;
  }

  /** Closes the last part; returns every part written, in order. */
  async finish(): Promise<ShardEntry[]> {
    if (this.builder.length > 0) await this.flushBatch();
    if (this.part) this.closePart();
    return Promise.all(this.closing);
  }

  /** Deletes the part in progress (finished parts stay; the caller removes the split). */
  async abort(): Promise<void> {
    await Promise.allSettled(this.closing);
    await this.part?.abort();
    this.part = null;
  }

  private relPath(index: number): string {
    return path.posix.join(splitDir(this.options.dataset, this.options.split), partName(index));
  }

  private async flushBatch(): Promise<void> {
    const batch = this.builder.take();
    this.part ??= await ArrowPartWriter.create(path.join(this.options.shardsDir, this.relPath(this.closing.length)));
    await this.part.write(batch);
    if (this.part.bytes >= this.partBytes) this.closePart();
  }

  private closePart(): void {
    const relPath = this.relPath(this.closing.length);
    const closing = this.part!.finish().then((info) => ({ path: relPath, records: info.rows, bytes: info.bytes, sha256: info.sha256, batchRows: info.batchRows }));
    closing.catch(() => undefined);
    this.closing.push(closing);
    this.part = null;
  }
}
