/**
 * --format parquet: one Parquet file per shard part, <dataset>/<split>/part-NNNNN.parquet, with
 * every record column as stored plus `image_bytes`, the stored image bytes (JPEG or PNG) aligned
 * with `images` (the keys). A mixture export is one file, examples.parquet, with the example
 * columns (pipelines/export/example-schema.ts) plus `image_bytes`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Binary, Field, List, type RecordBatch } from 'apache-arrow';
import type { ExportExample } from './example-schema.ts';
import { type ExportContext, type ExportedFile } from './export-context.ts';
import { joinImages } from './image-column.ts';
import { writeParquetFile } from './parquet-file.ts';
import type { SplitSelection } from './selection.ts';
import { exampleBatches, shardBatches } from './table-batches.ts';

export const IMAGE_BYTES_FIELD = new Field('image_bytes', new List(new Field('item', new Binary(), false)), false);

async function* withImageBytes(batches: AsyncIterable<RecordBatch>, ctx: ExportContext): AsyncGenerator<RecordBatch> {
  for await (const batch of batches) {
    yield* joinImages(batch, ctx.media, IMAGE_BYTES_FIELD, (image) => image.bytes, ctx.imageChunkBytes);
    ctx.progress?.(batch.numRows);
  }
}

async function writeTable(relPath: string, batches: AsyncIterable<RecordBatch>, ctx: ExportContext): Promise<ExportedFile> {
  const file = path.join(ctx.outDir, relPath);
  mkdirSync(path.dirname(file), { recursive: true });
  return { path: relPath, ...await writeParquetFile(file, withImageBytes(batches, ctx)) };
}

export async function exportRecordsParquet(selections: readonly SplitSelection[], ctx: ExportContext): Promise<ExportedFile[]> {
  const files: ExportedFile[] = [];
  for (const selection of selections) {
    for (const shard of selection.shards) {
      const relPath = shard.path.replace(/\.arrow$/, '.parquet');
      files.push(await writeTable(relPath, shardBatches(ctx.shardsDir, shard.path), ctx));
    }
  }
  return files;
}

export async function exportExamplesParquet(examples: AsyncIterable<ExportExample>, ctx: ExportContext): Promise<ExportedFile[]> {
  return [await writeTable('examples.parquet', exampleBatches(examples), ctx)];
}
