/**
 * Deterministic uncompressed .tar archives for the Flickr30K sample (the official
 * flickr30k-images.tar is a plain tar). Like pipelines/sample/targz-writer.ts without the gzip
 * layer; kept here until pipelines/sample has a plain-tar writer.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { FIXED_MTIME, type ArchiveEntry } from '../../sample/zip-writer.ts';

export async function writeTar(file: string, entries: ArchiveEntry[]): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const pack = tar.pack();
  const done = pipeline(pack, createWriteStream(file));
  for (const { name, data } of entries) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name, size: data.length, mtime: FIXED_MTIME, mode: 0o644, uid: 0, gid: 0 }, data, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
}
