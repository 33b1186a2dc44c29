/**
 * Deterministic .tar.gz archives for sample mirrors (A-OKVQA ships one). Headers carry a fixed
 * mtime, owner 0:0 and no user names; gzip's own header has no timestamp when written by zlib.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { FIXED_MTIME, type ArchiveEntry } from './zip-writer.ts';

export async function writeTarGz(file: string, entries: ArchiveEntry[]): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 9 }), createWriteStream(file));
  for (const { name, data } of entries) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name, size: data.length, mtime: FIXED_MTIME, mode: 0o644, uid: 0, gid: 0 }, data, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
}
