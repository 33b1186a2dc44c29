/** Turns an Arrow record batch back into plain row objects, one reader per column. */
import type { RecordBatch, Schema } from 'apache-arrow';
import { type ColumnReader, columnReader } from './column-decoder.ts';

export function batchRowReader<Row>(batch: RecordBatch, schema: Schema = batch.schema): (i: number) => Row {
  const names = schema.fields.map((f) => f.name);
  const readers: ColumnReader[] = schema.fields.map((f, k) => columnReader(batch.data.children[k], f));
  return (i) => {
    const row: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) row[names[k]] = readers[k](i);
    return row as Row;
  };
}

export function batchToRows<Row>(batch: RecordBatch, schema: Schema = batch.schema): Row[] {
  const read = batchRowReader<Row>(batch, schema);
  const rows: Row[] = new Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) rows[i] = read(i);
  return rows;
}
