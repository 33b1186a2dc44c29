/**
 * Deterministic plain .tar archives for sample mirrors (Flickr30K's flickr30k-images.tar, MSVD's
 * YouTubeClips.tar): fixed mtime, owner 0:0, no user names, entries in the order given.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ArchiveEntry } from './zip-writer.ts';

/** Tar stores seconds since the epoch, so the fixed time is UTC (zip-writer's FIXED_MTIME is local time, right for DOS fields only). */
const FIXED_MTIME = new Date(Date.UTC(2014, 0, 1, 12, 0, 0));

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
