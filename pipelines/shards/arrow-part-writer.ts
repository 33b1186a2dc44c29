/**
 * Writes one Arrow IPC file ("part") batch by batch: bytes go to a temporary sibling as each batch
 * is written, and the file is renamed to its final name only once its footer is written and synced
 * and the synced bytes are hashed (on the hashing worker: on the main thread, hashing the parts
 * took ~4% of a VQAv2 build). A crash leaves a `.tmp` file, never a part that looks complete.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AsyncByteQueue, RecordBatchFileWriter, type RecordBatch } from 'apache-arrow';
import { sha256File } from '../util/sha256-file.ts';

export interface PartInfo {
  /** Final path of the part. */
  file: string;
  bytes: number;
  sha256: string;
  rows: number;
  /** Rows in each record batch, in file order (batch i starts at the sum of the ones before). */
  batchRows: number[];
}

/**
 * apache-arrow's writer queues every byte it produces until someone reads the queue, with no
 * backpressure (research/feasibility.md §5). This sink takes each chunk as it is produced instead.
 */
class ChunkSink extends AsyncByteQueue {
  chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
}

export class ArrowPartWriter {
  private readonly sink = new ChunkSink();
  private readonly writer = new RecordBatchFileWriter();
  private position = 0;
  private readonly batchRows: number[] = [];
  /** The write in flight: the next batch is encoded while this one goes to disk. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly file: string, private readonly tmp: string, private readonly fh: FileHandle) {
    this.writer.reset(this.sink);
  }

  static async create(file: string): Promise<ArrowPartWriter> {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    return new ArrowPartWriter(file, tmp, await open(tmp, 'wx'));
  }

  /** Bytes written so far (the footer comes on top). */
  get bytes(): number {
    return this.position;
  }

  get rows(): number {
    return this.batchRows.reduce((a, b) => a + b, 0);
  }

  async write(batch: RecordBatch): Promise<void> {
    this.writer.write(batch);
    this.batchRows.push(batch.numRows);
    await this.flush();
  }

  async finish(): Promise<PartInfo> {
    if (this.batchRows.length === 0) throw new Error(`${this.file}: a part needs at least one record batch`);
    this.writer.finish();
    await this.flush();
    await this.writing;
    await this.fh.sync();
    await this.fh.close();
    const sha256 = await sha256File(this.tmp);
    await rename(this.tmp, this.file);
    return { file: this.file, bytes: this.position, sha256, rows: this.rows, batchRows: [...this.batchRows] };
  }

  async abort(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.fh.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }

  /**
   * Waits for the previous write, then starts writing what the Arrow writer produced since, as
   * one writev of its chunks: joining them first copied every byte of the part once more.
   */
  private async flush(): Promise<void> {
    await this.writing;
    const chunks = this.sink.chunks;
    if (chunks.length === 0) return;
    this.sink.chunks = [];
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.byteLength;
    const at = this.position;
    this.position += bytes;
    this.writing = this.writeAt(chunks, at);
  }

  private async writeAt(chunks: Uint8Array[], position: number): Promise<void> {
    let rest = chunks;
    while (rest.length > 0) {
      const { bytesWritten } = await this.fh.writev(rest, position);
      if (bytesWritten === 0) throw new Error(`${this.tmp}: the disk took none of ${rest.length} chunk(s)`);
      position += bytesWritten;
      rest = after(rest, bytesWritten);
    }
  }
}

/** The chunks left once the first `bytes` of them are written. */
function after(chunks: Uint8Array[], bytes: number): Uint8Array[] {
  let i = 0;
  let skip = bytes;
  while (i < chunks.length && skip >= chunks[i].byteLength) skip -= chunks[i++].byteLength;
  if (i === chunks.length) return [];
  return [chunks[i].subarray(skip), ...chunks.slice(i + 1)];
}
