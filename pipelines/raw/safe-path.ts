import path from 'node:path';

/**
 * Joins `rel` under `root`, refusing anything that could land outside it: absolute paths,
 * `..` segments, drive letters, NUL bytes. Annotation files and archives are untrusted input.
 */
export function resolveInside(root: string, rel: string, what = 'path'): string {
  if (rel.length === 0) throw new Error(`empty ${what}`);
  if (rel.includes('\0')) throw new Error(`${what} "${rel}" contains a NUL byte`);
  if (path.isAbsolute(rel) || /^[a-zA-Z]:[\\/]/.test(rel) || rel.startsWith('\\')) {
    throw new Error(`${what} "${rel}" is absolute; only paths relative to ${root} are allowed`);
  }
  const parts = rel.split(/[\\/]+/);
  if (parts.includes('..')) throw new Error(`${what} "${rel}" escapes ${root} with ".."`);
  const full = path.resolve(root, rel);
  const base = path.resolve(root);
  if (full !== base && !full.startsWith(base + path.sep)) {
    throw new Error(`${what} "${rel}" resolves outside ${root}`);
  }
  return full;
}
