/**
 * Images written as files next to a JSON export (LAVIS, LLaVA): images/<key>.<jpg|png>, each key
 * once however many examples use it. Paths handed out are relative to the export folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MediaReader } from '../media/media-reader.ts';
import type { ExportedFile } from './export-context.ts';
import { mediaFileName } from './media-file-name.ts';

export const IMAGE_FOLDER = 'images';

export class ImageFolder {
  private readonly written = new Map<string, string>();
  readonly files: ExportedFile[] = [];

  constructor(private readonly outDir: string, private readonly media: MediaReader) {
    mkdirSync(path.join(outDir, IMAGE_FOLDER), { recursive: true });
  }

  /** The relative path of the image `key`, written on first use. */
  async path(key: string): Promise<string> {
    const known = this.written.get(key);
    if (known) return known;
    const image = await this.media.get(key);
    const relPath = path.posix.join(IMAGE_FOLDER, mediaFileName(key, image.format));
    await writeFile(path.join(this.outDir, relPath), image.bytes, { flag: 'wx' });
    this.written.set(key, relPath);
    this.files.push({ path: relPath, rows: 1, bytes: image.bytes.length, sha256: createHash('sha256').update(image.bytes).digest('hex') });
    return relPath;
  }

  paths(keys: readonly string[]): Promise<string[]> {
    return Promise.all(keys.map((k) => this.path(k)));
  }
}
