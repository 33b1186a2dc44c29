/** A new file written chunk by chunk, hashed on the way; its size and sha256 go into export.json. */
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

export interface WrittenFile {
  rows: number;
  bytes: number;
  sha256: string;
}

export class HashedFile {
  private readonly hash = createHash('sha256');
  private position = 0;

  private constructor(readonly file: string, private readonly fh: FileHandle) {}

  /** Creates `file`; one that exists is an error (exports write into a fresh folder). */
  static async create(file: string): Promise<HashedFile> {
    return new HashedFile(file, await open(file, 'wx'));
  }

  get bytes(): number {
    return this.position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    let done = 0;
    while (done < chunk.length) done += (await this.fh.write(chunk, done, chunk.length - done, this.position + done)).bytesWritten;
    this.position += chunk.length;
  }

  /** Syncs and closes; returns the size and hash. */
  async finish(rows: number): Promise<WrittenFile> {
    await this.fh.sync();
    await this.fh.close();
    return { rows, bytes: this.position, sha256: this.hash.digest('hex') };
  }

  /** Closes after a failure (the export folder is removed as a whole). */
  async abandon(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/** Runs `work` on a new HashedFile, abandoning it if `work` throws. */
export async function withHashedFile(file: string, work: (out: HashedFile) => Promise<number>): Promise<WrittenFile> {
  const out = await HashedFile.create(file);
  let rows: number;
  try {
    rows = await work(out);
  } catch (err) {
    await out.abandon();
    throw err;
  }
  return out.finish(rows);
}
