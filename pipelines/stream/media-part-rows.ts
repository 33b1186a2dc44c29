/**
 * Reads single images out of a media-store part without reading its record batches whole.
 *
 * A media batch holds up to 4 MB of images, and training reads images in random order, so reading
 * a whole batch per image would read ~100 times the bytes used. Instead, a batch's "directory" (its
 * IPC message header, its key column and the offsets of its bytes column: a few KB) is read once,
 * and each image is then one positioned read of exactly its bytes. The layout comes from the
 * file's own footer and message headers, decoded by apache-arrow.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type Field, Message, RecordBatchReader, type Schema, Type } from 'apache-arrow';
import type { FileBlock } from 'apache-arrow/ipc/metadata/file';
import type { RecordBatch as BatchHeader } from 'apache-arrow/ipc/metadata/message';
import { MEDIA_SCHEMA } from '../media/media-schema.ts';
import { schemaSignature } from '../shards/schema-signature.ts';

/** What one image read needs of its record batch. */
export interface MediaBatchDirectory {
  rows: number;
  keyOffsets: Int32Array;
  keyBytes: Buffer;
  bytesOffsets: Int32Array;
  /** File position of the bytes column's values buffer. */
  bytesValuesAt: number;
  /** Bytes held, for cache accounting. */
  weight: number;
}

/** Index of each field's first IPC buffer, and the buffer count, for a schema of flat columns. */
function bufferLayout(schema: Schema): { first: Map<string, number>; total: number } {
  const first = new Map<string, number>();
  let next = 0;
  for (const field of schema.fields as Field[]) {
    first.set(field.name, next);
    const { typeId } = field.type;
    if (typeId === Type.Utf8 || typeId === Type.Binary) next += 3; // validity, offsets, values
    else if (typeId === Type.Int || typeId === Type.Float || typeId === Type.Bool) next += 2; // validity, values
    else throw new Error(`media schema field "${field.name}" (${field.type}) is not a flat column`);
  }
  return { first, total: next };
}

const LAYOUT = bufferLayout(MEDIA_SCHEMA);
const KEY_BUFFERS = LAYOUT.first.get('key')!;
const BYTES_BUFFERS = LAYOUT.first.get('bytes')!;
const CONTINUATION = -1;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  // Not from the shared small-buffer pool: image bytes are transferred to a worker, buffer and all.
  const buf = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
  return buf;
}

function int32s(buf: Buffer): Int32Array {
  const out = new Int32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt32LE(i * 4);
  return out;
}

export class MediaPartRows {
  private constructor(readonly file: string, private readonly fh: FileHandle, private readonly blocks: readonly FileBlock[]) {}

  static async open(file: string): Promise<MediaPartRows> {
    const fh = await open(file, 'r');
    try {
      const reader = await RecordBatchReader.from(fh);
      if (!reader.isFile()) throw new Error('not an Arrow IPC file (stream format?)');
      await reader.open();
      if (schemaSignature(reader.schema) !== schemaSignature(MEDIA_SCHEMA)) {
        throw new Error(`schema [${schemaSignature(reader.schema)}] is not the media schema; rebuild the media store`);
      }
      return new MediaPartRows(file, fh, [...reader.footer!.recordBatches()]);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw new Error(`media part ${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  get numBatches(): number {
    return this.blocks.length;
  }

  async readDirectory(batch: number): Promise<MediaBatchDirectory> {
    const block = this.blocks[batch];
    if (!block) throw new RangeError(`media part ${this.file}: no record batch ${batch} (it has ${this.blocks.length})`);
    const header = await this.readHeader(block, batch);
    const bodyAt = block.offset + block.metaDataLength;
    const region = (i: number) => header.buffers[i];
    const rows = header.length;
    const offsetBytes = 4 * (rows + 1);
    const keyOffsets = int32s(await readAt(this.fh, bodyAt + region(KEY_BUFFERS + 1).offset, offsetBytes));
    const keyBytes = await readAt(this.fh, bodyAt + region(KEY_BUFFERS + 2).offset, region(KEY_BUFFERS + 2).length);
    const bytesOffsets = int32s(await readAt(this.fh, bodyAt + region(BYTES_BUFFERS + 1).offset, offsetBytes));
    return {
      rows, keyOffsets, keyBytes, bytesOffsets,
      bytesValuesAt: bodyAt + region(BYTES_BUFFERS + 2).offset,
      weight: keyOffsets.byteLength + keyBytes.length + bytesOffsets.byteLength,
    };
  }

  /** The stored image bytes of `row`, after checking the row holds `key`. */
  async readImage(dir: MediaBatchDirectory, batch: number, row: number, key: string): Promise<Buffer> {
    if (row < 0 || row >= dir.rows) throw new RangeError(`media part ${this.file}: record batch ${batch} has ${dir.rows} rows, not row ${row}`);
    const stored = dir.keyBytes.toString('utf8', dir.keyOffsets[row], dir.keyOffsets[row + 1]);
    if (stored !== key) {
      throw new Error(`media part ${this.file}: batch ${batch} row ${row} holds ${stored}, the index says ${key}; the index is stale, run verify and rebuild the media store`);
    }
    const start = dir.bytesOffsets[row];
    return readAt(this.fh, dir.bytesValuesAt + start, dir.bytesOffsets[row + 1] - start);
  }

  close(): Promise<void> {
    return this.fh.close();
  }

  private async readHeader(block: FileBlock, batch: number): Promise<BatchHeader> {
    const meta = await readAt(this.fh, block.offset, block.metaDataLength);
    const continued = meta.readInt32LE(0) === CONTINUATION;
    const length = meta.readInt32LE(continued ? 4 : 0);
    const start = continued ? 8 : 4;
    const message = Message.decode(meta.subarray(start, start + length));
    const fail = (what: string) => new Error(`media part ${this.file}: record batch ${batch} ${what}; rebuild the media store`);
    if (!message.isRecordBatch()) throw fail('is not a record batch message');
    const header = message.header();
    if (header.compression !== null) throw fail('is compressed, which this reader does not support');
    if (header.buffers.length !== LAYOUT.total) throw fail(`has ${header.buffers.length} buffers, the media schema has ${LAYOUT.total}`);
    return header;
  }
}
