/**
 * Quarantined records of one split, one JSON object per line, written to a temporary file and
 * renamed to quarantine.jsonl when the split is done, so the file that exists is always whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Quarantine } from '../../sources/types.ts';

/** Lines are buffered up to this many bytes between writes. */
const FLUSH_BYTES = 256 * 1024;

export class QuarantineWriter {
  private fh: FileHandle | null = null;
  private tmp = '';
  private buffer: string[] = [];
  private buffered = 0;
  private count = 0;

  constructor(readonly file: string) {}

  async write(entry: Quarantine & { id?: string }): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.buffer.push(line);
    this.buffered += line.length;
    this.count++;
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }

  /** Renames the file into place; returns false (and writes nothing) when nothing was quarantined. */
  async finish(): Promise<boolean> {
    if (this.count === 0) return false;
    await this.flush();
    await this.fh!.sync();
    await this.fh!.close();
    this.fh = null;
    await rename(this.tmp, this.file);
    return true;
  }

  async abort(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    if (this.tmp) await rm(this.tmp, { force: true });
  }

  private async flush(): Promise<void> {
    if (!this.fh) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
      this.fh = await open(this.tmp, 'wx');
    }
    await this.fh.writeFile(this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }
}
