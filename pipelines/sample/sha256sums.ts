/**
 * The `SHA256SUMS` file of a sample mirror, in sha256sum's format (`<hex>  <relative path>`),
 * one line per file, sorted by path, so ingest can verify a mirror it copies.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SUMS_FILE = 'SHA256SUMS';

/** Every file under `dir` as a forward-slash relative path, sorted by code unit. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function sha256Sums(dir: string): string {
  return listFiles(dir)
    .filter((rel) => rel !== SUMS_FILE)
    .map((rel) => `${createHash('sha256').update(readFileSync(path.join(dir, rel))).digest('hex')}  ${rel}\n`)
    .join('');
}

export function writeSha256Sums(dir: string): void {
  writeFileSync(path.join(dir, SUMS_FILE), sha256Sums(dir));
}
