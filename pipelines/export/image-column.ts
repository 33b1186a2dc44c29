/**
 * Joins the media store into an Arrow record batch: one more column, built from each row's
 * `images` keys, holding what the export format stores per image (the bytes for Parquet, HF's
 * {bytes, path} for the hf format). The other columns are passed through untouched, so every
 * record column survives the export as it is in the shard.
 */
import { type Data, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import type { MediaReader } from '../media/media-reader.ts';
import type { MediaRow } from '../media/media-schema.ts';
import { columnReader } from '../shards/column-decoder.ts';
import { columnEncoder } from '../shards/column-encoder.ts';

export type ImageValue = (image: MediaRow) => unknown;

/** The images' keys of every row of `batch`, from its `images` column. */
export function imageKeys(batch: RecordBatch): string[][] {
  const index = batch.schema.fields.findIndex((f) => f.name === 'images');
  if (index < 0) throw new Error(`the batch has no "images" column (columns: ${batch.schema.names.join(', ')})`);
  const read = columnReader(batch.data.children[index], batch.schema.fields[index]);
  return Array.from({ length: batch.numRows }, (_, i) => read(i) as string[]);
}

/**
 * `batch` with the image column `field` (a list, one value per image) appended, cut into slices
 * that hold about `chunkBytes` of image bytes each: a batch of thousands of records would
 * otherwise pull gigabytes of images into memory at once.
 */
export async function* joinImages(
  batch: RecordBatch, media: MediaReader, field: Field, value: ImageValue, chunkBytes: number, schema?: Schema,
): AsyncGenerator<RecordBatch> {
  const keys = imageKeys(batch);
  let start = 0;
  let encoder = columnEncoder(field);
  let bytes = 0;
  for (let row = 0; row < keys.length; row++) {
    const values: unknown[] = [];
    for (const key of keys[row]) {
      const image = await media.get(key);
      bytes += image.bytes.length;
      values.push(value(image));
    }
    encoder.push(values);
    if (bytes >= chunkBytes || row === keys.length - 1) {
      const rows = start === 0 && row === keys.length - 1 ? batch : batch.slice(start, row + 1);
      yield appendColumn(rows, field, encoder.finish(), schema);
      start = row + 1;
      encoder = columnEncoder(field);
      bytes = 0;
    }
  }
}

/** `batch` with `column` appended as the last field; `schema` may relabel the fields (nullability, metadata). */
export function appendColumn(batch: RecordBatch, field: Field, column: Data, schema?: Schema): RecordBatch {
  const fields = [...batch.schema.fields, field];
  const target = schema ?? new Schema(fields, batch.schema.metadata);
  if (target.fields.length !== fields.length) throw new Error(`schema has ${target.fields.length} fields, the batch ${fields.length}`);
  const children = [...batch.data.children, column];
  return new RecordBatch(target, makeData({ type: new Struct(target.fields), length: batch.numRows, nullCount: 0, children }));
}
