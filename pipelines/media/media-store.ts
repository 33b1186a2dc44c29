/**
 * The writing side of the content-addressed media store (shards/media/): images are added by key
 * once; a key already in the index adds nothing. Rows are encoded into bounded batches, parts are
 * written under temporary names, renamed when complete, then indexed by their sidecar.
 */
import path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { ArrowPartWriter } from '../shards/arrow-part-writer.ts';
import { BatchBuilder } from '../shards/batch-builder.ts';
import { MEDIA_DIR, partName } from '../shards/layout.ts';
import type { EncodedImage } from './encode-image.ts';
import { loadMediaIndex, locateKeys, type MediaLocation, type MediaPartIndex, partNumber, writeSidecar } from './media-index.ts';
import { MEDIA_SCHEMA, type MediaRow } from './media-schema.ts';

export interface MediaStoreOptions {
  /** A part is closed once it holds this many bytes. */
  partBytes?: number;
  /** A record batch is cut at this many rows or bytes, whichever comes first. */
  batchRows?: number;
  batchBytes?: number;
}

export const DEFAULT_MEDIA_PART_BYTES = 64 * 1024 * 1024;

export class MediaStore {
  private readonly builder = new BatchBuilder<MediaRow>(MEDIA_SCHEMA);
  private part: ArrowPartWriter | null = null;
  /** Keys added but not yet in a finished part, in row order. */
  private partKeys: string[] = [];
  private readonly unwritten = new Set<string>();
  private nextPart: number;
  /** Writes run one after another; adds from concurrent records queue here. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly parts: MediaPartIndex[],
    private readonly locations: Map<string, MediaLocation>,
    private readonly options: Required<MediaStoreOptions>,
  ) {
    this.nextPart = parts.length > 0 ? Math.max(...parts.map((p) => partNumber(p.part))) + 1 : 0;
  }

  /** Opens the store under `shardsDir`, repairing what an interrupted build left (hold the build lock). */
  static async open(shardsDir: string, options: MediaStoreOptions = {}): Promise<MediaStore> {
    const dir = path.join(shardsDir, MEDIA_DIR);
    const { parts, locations } = await loadMediaIndex(dir, true);
    return new MediaStore(dir, parts, locations, {
      partBytes: options.partBytes ?? DEFAULT_MEDIA_PART_BYTES,
      batchRows: options.batchRows ?? 256,
      batchBytes: options.batchBytes ?? 4 * 1024 * 1024,
    });
  }

  has(key: string): boolean {
    return this.locations.has(key) || this.unwritten.has(key);
  }

  /** Finished parts, including the ones this process wrote. */
  get partIndexes(): readonly MediaPartIndex[] {
    return this.parts;
  }

  get size(): number {
    return this.locations.size + this.unwritten.size;
  }

  /** Adds an image unless its key is stored; returns whether it was new. */
  add(key: string, image: EncodedImage): Promise<boolean> {
    if (this.has(key)) return Promise.resolve(false);
    this.unwritten.add(key);
    this.builder.append({ key, bytes: image.bytes, format: image.format, width: image.width, height: image.height, phash: image.phash });
    this.partKeys.push(key);
    if (this.builder.length >= this.options.batchRows || this.builder.byteSize >= this.options.batchBytes) {
      const batch = this.builder.take();
      return this.enqueue(() => this.writeBatch(batch)).then(() => true);
    }
    return Promise.resolve(true);
  }

  /** Writes what is buffered and closes the current part, so every added key is in a complete part. */
  flush(): Promise<void> {
    const batch = this.builder.length > 0 ? this.builder.take() : null;
    return this.enqueue(async () => {
      if (batch) await this.writeBatch(batch);
      if (this.part) await this.closePart();
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.writing.then(work);
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async writeBatch(batch: RecordBatch): Promise<void> {
    this.part ??= await ArrowPartWriter.create(path.join(this.dir, partName(this.nextPart)));
    await this.part.write(batch);
    if (this.part.bytes >= this.options.partBytes) await this.closePart();
  }

  private async closePart(): Promise<void> {
    const info = await this.part!.finish();
    this.part = null;
    const index: MediaPartIndex = {
      part: partName(this.nextPart), bytes: info.bytes, sha256: info.sha256, rows: info.rows, batchRows: info.batchRows, keys: this.partKeys.slice(0, info.rows),
    };
    await writeSidecar(this.dir, index);
    this.parts.push(index);
    for (const [key, location] of locateKeys([index])) {
      this.locations.set(key, location);
      this.unwritten.delete(key);
    }
    this.partKeys = this.partKeys.slice(info.rows);
    this.nextPart++;
  }
}
