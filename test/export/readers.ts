/**
 * The independent readers the export tests check against: nodejs-polars (Rust Arrow/Parquet
 * readers), DuckDB (its own Parquet reader), tar-stream's extractor and sharp's decoders. None
 * shares code with apache-arrow or parquet-wasm.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import sharp from 'sharp';
import tar from 'tar-stream';

export { pl };

/** An Arrow IPC file read by polars (a Buffer: polars treats a path not ending in .ipc as inline bytes). */
export function polarsReadIpc(file: string): pl.DataFrame {
  return pl.readIPC(readFileSync(file));
}

/**
 * A list column of binaries as bytes per row. polars cannot hand binary to JS; as a list of UInt8,
 * cast by polars itself, it can. `element` picks the binary in each item (hf: the struct's bytes).
 */
export function polarsBinaryLists(df: pl.DataFrame, column: string, element: pl.Expr = pl.element()): Buffer[][] {
  const rows = df.select(pl.col(column).lst.eval(element.cast(pl.List(pl.UInt8)))).toRecords();
  return rows.map((row) => (row[column] as unknown as number[][]).map((b) => Buffer.from(b)));
}

/** Rows of `sql` as JSON values (DuckDB BIGINTs come back as strings). */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A path inside single quotes in SQL. */
export const sqlPath = (file: string) => `'${file.replace(/'/g, "''")}'`;

/** Every member of a tar file, in archive order. */
export async function readTar(file: string): Promise<{ name: string; data: Buffer }[]> {
  const extract = tar.extract();
  extract.end(readFileSync(file));
  const members: { name: string; data: Buffer }[] = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    members.push({ name: entry.header.name, data: Buffer.concat(chunks) });
  }
  return members;
}

/** Decodes an image to pixels (so a truncated or corrupt file fails): its format and size. */
export async function decodeImage(bytes: Uint8Array): Promise<{ format: string; width: number; height: number }> {
  const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const { format } = await sharp(bytes).metadata();
  return { format: String(format), width: info.width, height: info.height };
}
