/**
 * The independent readers the export tests check against: nodejs-polars (Rust Arrow/Parquet
 * readers) and DuckDB (its own Parquet reader). Neither shares code with apache-arrow or
 * parquet-wasm.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';

export { pl };

/** An Arrow IPC file read by polars (a Buffer: polars treats a path not ending in .ipc as inline bytes). */
export function polarsReadIpc(file: string): pl.DataFrame {
  return pl.readIPC(readFileSync(file));
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
