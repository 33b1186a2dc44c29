/**
 * Reads images back from the media store by key: the sidecar index says which part, batch and row;
 * the batch is read through the part's footer and kept in a small cache, since records that share
 * an image (or a video's frames) are usually read together.
 */
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { ArrowPartReader } from '../shards/arrow-part-reader.ts';
import { batchRowReader } from '../shards/batch-rows.ts';
import { MEDIA_DIR, partName } from '../shards/layout.ts';
import { LruMap } from './lru.ts';
import { loadMediaIndex, type MediaLocation, type MediaPartIndex } from './media-index.ts';
import { MEDIA_SCHEMA, type MediaRow } from './media-schema.ts';

const CACHED_BATCHES = 8;

export class MediaReader {
  private readonly readers = new Map<number, Promise<ArrowPartReader>>();
  private readonly batches = new LruMap<string, Promise<(row: number) => MediaRow>>(CACHED_BATCHES);

  private constructor(readonly dir: string, readonly parts: readonly MediaPartIndex[], private readonly locations: Map<string, MediaLocation>) {}

  static async open(shardsDir: string): Promise<MediaReader> {
    const dir = path.join(shardsDir, MEDIA_DIR);
    const { parts, locations } = await loadMediaIndex(dir, false);
    return new MediaReader(dir, parts, locations);
  }

  has(key: string): boolean {
    return this.locations.has(key);
  }

  get size(): number {
    return this.locations.size;
  }

  async get(key: string): Promise<MediaRow> {
    const at = this.locations.get(key);
    if (!at) throw new Error(`image ${key} is not in the media store ${this.dir}; rebuild the dataset that refers to it`);
    const row = (await this.batch(at.part, at.batch))(at.row);
    if (row.key !== key) throw new Error(`${this.dir}/${partName(at.part)} batch ${at.batch} row ${at.row} holds ${row.key}, not ${key}; the index is stale, run verify`);
    return row;
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) await (await reader).close();
    this.readers.clear();
    this.batches.clear();
  }

  private batch(part: number, batch: number): Promise<(row: number) => MediaRow> {
    const id = `${part}/${batch}`;
    let rows = this.batches.get(id);
    if (!rows) {
      rows = this.reader(part).then((r) => r.readBatch(batch)).then((b: RecordBatch) => batchRowReader<MediaRow>(b, MEDIA_SCHEMA));
      rows.catch(() => this.batches.delete(id));
      this.batches.set(id, rows);
    }
    return rows;
  }

  private reader(part: number): Promise<ArrowPartReader> {
    let reader = this.readers.get(part);
    if (!reader) {
      reader = ArrowPartReader.open(path.join(this.dir, partName(part)), MEDIA_SCHEMA);
      this.readers.set(part, reader);
    }
    return reader;
  }
}
