/**
 * Writes record batches to one file in the Arrow IPC *stream* format (what HF `datasets` memory-maps
 * and reads with pyarrow's open_stream). apache-arrow's writer queues its output without
 * backpressure; the sink below takes each chunk as it is produced instead.
 */
import { AsyncByteQueue, type RecordBatch, RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import { withHashedFile, type WrittenFile } from './hashed-file.ts';

class ChunkSink extends AsyncByteQueue {
  chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
}

export function writeArrowStreamFile(file: string, schema: Schema, batches: AsyncIterable<RecordBatch>): Promise<WrittenFile> {
  return withHashedFile(file, async (out) => {
    const sink = new ChunkSink();
    const writer = new RecordBatchStreamWriter();
    writer.reset(sink, schema);
    const flush = async () => {
      for (const chunk of sink.chunks.splice(0)) await out.write(chunk);
    };
    let rows = 0;
    for await (const batch of batches) {
      writer.write(batch);
      rows += batch.numRows;
      await flush();
    }
    writer.finish();
    await flush();
    return rows;
  });
}
