/**
 * Reads a .tar.gz in one pass (gunzip piped into tar-stream), entry by entry. A gzip stream cannot
 * be read at an offset, so unlike RawAccess's zip and tar readers this one streams: each entry's
 * body must be consumed (or is skipped) before the next one arrives. A-OKVQA ships this way.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

export interface TarGzEntry {
  /** Entry name without a leading `./`. */
  name: string;
  size: number;
  body: Readable;
}

export async function* tarGzEntries(file: string, where: string): AsyncGenerator<TarGzEntry> {
  const extract = tar.extract();
  const input = createReadStream(file);
  const piping = pipeline(input, createGunzip(), extract).catch((err: Error) => {
    extract.destroy(err);
  });
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file') {
        // tar-stream's entries are streamx streams; callers get a Node stream of raw bytes.
        const body = Readable.from(entry, { objectMode: false });
        yield { name: entry.header.name.replace(/^\.\//, ''), size: entry.header.size ?? 0, body };
      }
      entry.resume();
    }
  } catch (err) {
    throw new Error(`${where}: cannot read the archive (${(err as Error).message}); it is damaged or truncated, delete it and run ingest again`);
  } finally {
    input.destroy();
    await piping;
  }
}
