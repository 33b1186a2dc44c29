/** The Arrow record batches an export writes: a shard part's as stored, or rendered examples'. */
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { BatchBuilder } from '../shards/batch-builder.ts';
import { ShardReader } from '../shards/shard-reader.ts';
import { EXAMPLE_SCHEMA, type ExportExample } from './example-schema.ts';

/** Every record batch of one part, in order, one in memory at a time. */
export async function* shardBatches(shardsDir: string, part: string): AsyncGenerator<RecordBatch> {
  const reader = await ShardReader.open(path.join(shardsDir, part));
  try {
    for (let b = 0; b < reader.numBatches; b++) yield await reader.readRecordBatch(b);
  } finally {
    await reader.close();
  }
}

export const EXAMPLE_BATCH_ROWS = 1024;

export async function* exampleBatches(examples: AsyncIterable<ExportExample>, rows = EXAMPLE_BATCH_ROWS): AsyncGenerator<RecordBatch> {
  const builder = new BatchBuilder<ExportExample>(EXAMPLE_SCHEMA);
  for await (const example of examples) {
    builder.append(example);
    if (builder.length >= rows) yield builder.take();
  }
  if (builder.length > 0) yield builder.take();
}
