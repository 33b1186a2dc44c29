/**
 * Where ingest takes raw files from. `sample` is the embedded sample mirror, `official` the spec's
 * own URLs; any other value is a base URL or a folder that holds `<source>/<official path>`.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Mirror =
  | { kind: 'sample' }
  | { kind: 'official' }
  | { kind: 'http'; base: string }
  | { kind: 'folder'; dir: string };

/** Parses the `--mirror` value; a folder must exist, so a typo fails before anything is fetched. */
export function parseMirror(value: string, cwd = process.cwd()): Mirror {
  if (value === 'sample') return { kind: 'sample' };
  if (value === 'official') return { kind: 'official' };
  if (/^https?:\/\//i.test(value)) return { kind: 'http', base: value.replace(/\/+$/, '') };
  const dir = value.startsWith('file:') ? fileURLToPath(value) : path.resolve(cwd, value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`--mirror ${value}: not "sample", "official", an http(s) base URL, or an existing folder`);
  }
  return { kind: 'folder', dir };
}

/** The mirror as recorded in ledgers and shown in messages. */
export function describeMirror(mirror: Mirror): string {
  switch (mirror.kind) {
    case 'sample':
    case 'official':
      return mirror.kind;
    case 'http':
      return mirror.base;
    case 'folder':
      return mirror.dir;
  }
}
