/**
 * Writes Arrow record batches to one Parquet file with parquet-wasm (the Rust arrow/parquet writer
 * compiled to WebAssembly). Batches go in one at a time as Arrow IPC and come out as row groups,
 * so memory holds about one row group, not the file. The Arrow schema is stored in the file
 * (ARROW:schema), which is what lets polars, DuckDB and pyarrow restore list<utf8>,
 * list<float32>, list<struct> and binary columns exactly.
 */
import { type RecordBatch, Table as ArrowTable, tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, transformParquetStream, WriterPropertiesBuilder } from 'parquet-wasm';
import { withHashedFile, type WrittenFile } from './hashed-file.ts';

/** A row group is closed once it holds this many bytes (checked between batches). */
export const DEFAULT_ROW_GROUP_BYTES = 64 * 1024 * 1024;

interface Feed {
  rows: number;
  /** What failed upstream: the wasm writer reports it only as an opaque casting error. */
  failure: Error | null;
}

function wasmBatches(batches: AsyncIterable<RecordBatch>, feed: Feed): ReadableStream {
  const iterator = batches[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await iterator.next();
      } catch (err) {
        feed.failure = err as Error;
        throw err;
      }
      if (next.done) {
        controller.close();
        return;
      }
      feed.rows += next.value.numRows;
      const table = WasmTable.fromIPCStream(tableToIPC(new ArrowTable([next.value]), 'stream'));
      // recordBatches() hands out references; the table itself must be freed or wasm memory grows per batch.
      for (const batch of table.recordBatches()) controller.enqueue(batch);
      table.free();
    },
    async cancel() {
      await iterator.return?.();
    },
  }, { highWaterMark: 1 });
}

export async function writeParquetFile(
  file: string, batches: AsyncIterable<RecordBatch>, options: { rowGroupBytes?: number } = {},
): Promise<WrittenFile> {
  const feed: Feed = { rows: 0, failure: null };
  // No dictionaries: image bytes never repeat within a file, and trying to dictionary-encode them
  // before falling back cost about 40% of the write time (bench/export-parquet.bench.ts); snappy
  // still compresses the repetitive text columns.
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setDictionaryEnabled(false)
    .setMaxRowGroupBytes(options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES)
    .setCreatedBy('instructblip-ts export (parquet-wasm)')
    .build();
  return withHashedFile(file, async (out) => {
    try {
      const output = await transformParquetStream(wasmBatches(batches, feed), properties);
      for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) await out.write(chunk);
    } catch (err) {
      if (feed.failure) throw feed.failure;
      throw new Error(`${file}: writing Parquet failed: ${(err as Error).message}`, { cause: err });
    }
    if (feed.rows === 0) throw new Error(`${file}: no rows to write; a Parquet file needs at least one record batch`);
    return feed.rows;
  });
}
