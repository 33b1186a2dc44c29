/**
 * One tar file written entry by entry (tar-stream), hashed on the way. Headers are fixed (mtime,
 * owner 0:0, mode 644) so the same examples always give the same bytes.
 */
import tar from 'tar-stream';
import { FIXED_MTIME } from '../sample/zip-writer.ts';
import { withHashedFile, type WrittenFile } from './hashed-file.ts';

/** Bytes a member takes in the archive: a 512-byte header, then the data padded to 512. */
export const tarMemberBytes = (size: number) => 512 + Math.ceil(size / 512) * 512;

export class TarShard {
  private readonly pack = tar.pack();
  private readonly done: Promise<WrittenFile>;
  private samples = 0;
  private size = 1024; // the two zero blocks that end an archive

  constructor(readonly file: string) {
    this.done = withHashedFile(file, async (out) => {
      for await (const chunk of this.pack) await out.write(chunk as Uint8Array);
      return this.samples;
    });
    this.done.catch(() => undefined); // reported by close()
  }

  /** Bytes the archive will have once closed. */
  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.samples;
  }

  /** Adds one sample: its members, written in order. */
  async addSample(members: readonly { name: string; data: Uint8Array }[]): Promise<void> {
    for (const { name, data } of members) {
      await new Promise<void>((resolve, reject) => {
        this.pack.entry({ name, size: data.length, mtime: FIXED_MTIME, mode: 0o644, uid: 0, gid: 0 }, Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) => (err ? reject(err) : resolve()));
      });
      this.size += tarMemberBytes(data.length);
    }
    this.samples++;
  }

  close(): Promise<WrittenFile> {
    this.pack.finalize();
    return this.done;
  }

  /** Stops after a failure; the file is left to the caller's cleanup. */
  async abort(error: Error): Promise<void> {
    this.pack.destroy(error);
    await this.done.catch(() => undefined);
  }
}
