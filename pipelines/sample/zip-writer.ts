/**
 * Deterministic zip archives for sample mirrors: the same entries always give the same bytes.
 * Every entry gets one fixed modification time, encoded only in the DOS fields (built from local
 * date parts so the time zone of the machine does not change them), and fixed permissions.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface ArchiveEntry {
  /** Entry name inside the archive, with forward slashes. */
  name: string;
  data: Buffer;
}

/** 2014-01-01 12:00 local time: DOS timestamps store local date parts, which this fixes. */
export const FIXED_MTIME = new Date(2014, 0, 1, 12, 0, 0);

/** Already-compressed media gains nothing from deflate; the real COCO zips store images too. */
const isCompressed = (name: string) => /\.(jpe?g|png|mp4|gz)$/i.test(name);

export async function writeZip(file: string, entries: ArchiveEntry[]): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const { name, data } of entries) {
    zip.addBuffer(data, name, {
      mtime: FIXED_MTIME,
      mode: 0o100644,
      compress: !isCompressed(name),
      forceDosTimestamp: true,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}
