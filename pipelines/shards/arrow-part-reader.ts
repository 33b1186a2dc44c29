/**
 * Reads one record batch of an Arrow IPC file by index through its footer, with a FileHandle:
 * opening reads the magic and the footer, and each batch read touches only that batch's bytes.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type AsyncRecordBatchFileReader, RecordBatchReader, type RecordBatch, type Schema } from 'apache-arrow';
import { schemaSignature } from './schema-signature.ts';

const MAGIC = Buffer.from('ARROW1');

async function checkMagic(file: string, fh: FileHandle): Promise<number> {
  const { size } = await fh.stat();
  const head = Buffer.alloc(6);
  const tail = Buffer.alloc(6);
  if (size >= 12) {
    await fh.read(head, 0, 6, 0);
    await fh.read(tail, 0, 6, size - 6);
  }
  if (!head.equals(MAGIC) || !tail.equals(MAGIC)) {
    throw new Error(`${file} is not a complete Arrow IPC file (no ARROW1 magic at ${head.equals(MAGIC) ? 'the end' : 'the start'}); rebuild it`);
  }
  return size;
}

export class ArrowPartReader {
  /** Reads share one file position, so they run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string, private readonly reader: AsyncRecordBatchFileReader, readonly bytes: number) {}

  /** Opens a part; with `schema`, a part written with another schema is an error naming the file. */
  static async open(file: string, schema?: Schema): Promise<ArrowPartReader> {
    const fh = await open(file, 'r');
    try {
      const bytes = await checkMagic(file, fh);
      const reader = await RecordBatchReader.from(fh);
      if (!reader.isFile() || !reader.isAsync()) throw new Error(`${file} is not an Arrow IPC file (stream format?)`);
      await reader.open();
      if (schema && schemaSignature(reader.schema) !== schemaSignature(schema)) {
        throw new Error(`${file} has schema [${schemaSignature(reader.schema)}], expected [${schemaSignature(schema)}]; rebuild it`);
      }
      return new ArrowPartReader(file, reader as AsyncRecordBatchFileReader, bytes);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  get schema(): Schema {
    return this.reader.schema;
  }

  get numBatches(): number {
    return this.reader.numRecordBatches;
  }

  readBatch(index: number): Promise<RecordBatch> {
    if (!Number.isInteger(index) || index < 0 || index >= this.numBatches) {
      return Promise.reject(new RangeError(`${this.file}: batch ${index} out of range (0..${this.numBatches - 1})`));
    }
    const read = this.queue.then(async () => {
      const batch = await this.reader.readRecordBatch(index);
      if (!batch) throw new Error(`${this.file}: record batch ${index} could not be read; the file is damaged, rebuild it`);
      return batch;
    });
    this.queue = read.catch(() => undefined);
    return read;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.reader.cancel();
  }
}
