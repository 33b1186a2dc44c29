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

/**
 * A damaged-archive error with a `code`, so stream consumers (jsonMembers) pass it on unchanged:
 * the entry bodies and the entry iterator fail with the same message.
 */
function damaged(where: string, cause: Error): Error {
  return Object.assign(new Error(`${where}: cannot read the archive (${cause.message}); it is damaged or truncated, `
    + 'delete it and run ingest again'), { code: 'ERR_DAMAGED_ARCHIVE' });
}

/** An entry's bytes, with a read failure (a truncated gzip stream) reported as a damaged archive. */
async function* bytesOf(entry: AsyncIterable<unknown>, where: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of entry) yield chunk as Buffer;
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'ERR_DAMAGED_ARCHIVE' ? err : damaged(where, err as Error);
  }
}

export async function* tarGzEntries(file: string, where: string): AsyncGenerator<TarGzEntry> {
  const extract = tar.extract();
  const input = createReadStream(file);
  // pipeline destroys every stream on failure; the error reaches callers through the iterator and the bodies.
  const piping = pipeline(input, createGunzip(), extract).catch(() => {});
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file') {
        // tar-stream's entries are streamx streams; callers get a Node stream of raw bytes.
        const body = Readable.from(bytesOf(entry, where), { objectMode: false });
        yield { name: entry.header.name.replace(/^\.\//, ''), size: entry.header.size ?? 0, body };
      }
      entry.resume();
    }
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'ERR_DAMAGED_ARCHIVE' ? err : damaged(where, err as Error);
  } finally {
    input.destroy();
    await piping;
  }
}
