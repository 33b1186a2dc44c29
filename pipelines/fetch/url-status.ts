/**
 * The per-URL status file of a URL-list source: JSON lines appended as each image is tried, kept
 * across runs as the record of what failed and why. An image that was fetched and checked is
 * written under its final name before its `ok` line, so the file on disk is what marks it done.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';

export const URL_STATUS_FILE = 'url-status.jsonl';

export interface UrlStatusLine {
  path: string;
  url: string;
  /** `ok`, `http-<code>`, `timeout`, `connection-error`, `truncated`, `not-an-image`, `too-large`, `missing`, `bad-url`, `bad-path`. */
  status: string;
  bytes?: number;
  detail?: string;
  at: string;
}

/** True when the file's last byte is not a newline: an earlier run died mid-line. */
async function endsMidLine(file: string): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (size === 0) return false;
  const handle = await open(file, 'r');
  try {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

export class UrlStatusLog {
  private constructor(private readonly out: WriteStream) {}

  static async open(file: string): Promise<UrlStatusLog> {
    await mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(file, { flags: 'a' });
    // Close off a line torn by a crash so the next record starts on its own line.
    if (await endsMidLine(file)) out.write('\n');
    return new UrlStatusLog(out);
  }

  append(line: UrlStatusLine): void {
    this.out.write(`${JSON.stringify(line)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
