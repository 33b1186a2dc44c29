/**
 * Image bytes by media-store key for the training stream: the store's index (its sidecars) gives
 * key -> (part, batch, row); batch directories are cached (bounded by bytes) and parts are kept
 * open in a bounded set, so each image costs one positioned read of its own bytes.
 */
import path from 'node:path';
import { loadMediaIndex, type MediaLocation } from '../media/media-index.ts';
import { MEDIA_DIR, partName } from '../shards/layout.ts';
import { LruCache } from './lru.ts';
import { type MediaBatchDirectory, MediaPartRows } from './media-part-rows.ts';
import { OpenFiles } from './open-files.ts';

export interface MediaCacheOptions {
  openFiles?: number;
  /** Bytes of batch directories (keys and offsets, a few KB per batch) kept in memory. */
  directoryCacheBytes?: number;
}

export const DEFAULT_MEDIA_CACHE: Required<MediaCacheOptions> = { openFiles: 32, directoryCacheBytes: 32 * 1024 * 1024 };

export interface MediaSourceStats {
  imageReads: number;
  imageBytes: number;
  directoryReads: number;
  fileOpens: number;
}

export class MediaSource {
  private readonly files: OpenFiles<MediaPartRows>;
  private readonly directories: LruCache<string, Promise<MediaBatchDirectory>>;
  private imageReads = 0;
  private imageBytes = 0;
  private directoryReads = 0;

  private constructor(
    private readonly mediaDir: string,
    private readonly locations: ReadonlyMap<string, MediaLocation>,
    options: MediaCacheOptions,
  ) {
    const { openFiles, directoryCacheBytes } = { ...DEFAULT_MEDIA_CACHE, ...options };
    this.files = new OpenFiles(openFiles, (part) => MediaPartRows.open(path.join(mediaDir, part)), (rows) => rows.close());
    this.directories = new LruCache(directoryCacheBytes);
  }

  /** Opens the store under `shardsDir` read-only: nothing is repaired, parts without a sidecar are not seen. */
  static async open(shardsDir: string, options: MediaCacheOptions = {}): Promise<MediaSource> {
    const mediaDir = path.join(shardsDir, MEDIA_DIR);
    const { locations } = await loadMediaIndex(mediaDir, false);
    return new MediaSource(mediaDir, locations, options);
  }

  has(key: string): boolean {
    return this.locations.has(key);
  }

  async read(key: string): Promise<Buffer> {
    const at = this.locations.get(key);
    if (!at) throw new Error(`image ${key} is not in the media store ${this.mediaDir}; rebuild the dataset's shards (npm run build-shards)`);
    const part = partName(at.part);
    const image = await this.files.use(part, async (rows) => rows.readImage(await this.directory(part, rows, at.batch), at.batch, at.row, key));
    this.imageReads++;
    this.imageBytes += image.length;
    return image;
  }

  stats(): MediaSourceStats {
    return { imageReads: this.imageReads, imageBytes: this.imageBytes, directoryReads: this.directoryReads, fileOpens: this.files.opens };
  }

  async close(): Promise<void> {
    this.directories.clear();
    await this.files.close();
  }

  private directory(part: string, rows: MediaPartRows, batch: number): Promise<MediaBatchDirectory> {
    const key = `${part}#${batch}`;
    const cached = this.directories.get(key);
    if (cached) return cached;
    this.directoryReads++;
    const loading = rows.readDirectory(batch);
    this.directories.set(key, loading, 0);
    loading.then((dir) => this.directories.setWeight(key, dir.weight), () => {
      if (this.directories.peek(key) === loading) this.directories.delete(key);
    });
    return loading;
  }
}
