/**
 * Maps a source's spec files and URL-list images onto a mirror. Every relative path goes through
 * resolveInside, so a spec or URL entry cannot name anything outside the mirror's source folder.
 */
import path from 'node:path';
import { resolveInside } from '../raw/safe-path.ts';
import { sampleDir } from '../sources/registry.ts';
import type { RawFileSpec } from '../sources/types.ts';
import type { Mirror } from './mirror.ts';

/** A place to read bytes from: a local file, or a URL to download. */
export type Location = { kind: 'file'; file: string } | { kind: 'url'; url: string };

/** The folder holding a source's files on a local mirror; null for mirrors reached over HTTP. */
export function mirrorSourceFolder(mirror: Mirror, source: string): string | null {
  if (mirror.kind === 'sample') return sampleDir(source);
  if (mirror.kind === 'folder') return resolveInside(mirror.dir, source, 'source folder');
  return null;
}

/** URL of `rel` under `<base>/<source>/`, each path segment percent-encoded. */
function httpMirrorUrl(base: string, source: string, rel: string): string {
  resolveInside('/mirror', rel, `${source} path`);
  const segments = [source, ...rel.split('/')].map(encodeURIComponent);
  return `${base}/${segments.join('/')}`;
}

export function specFileLocation(mirror: Mirror, source: string, file: RawFileSpec): Location {
  if (mirror.kind === 'official') return { kind: 'url', url: file.url };
  if (mirror.kind === 'http') return { kind: 'url', url: httpMirrorUrl(mirror.base, source, file.path) };
  const folder = mirrorSourceFolder(mirror, source)!;
  return { kind: 'file', file: resolveInside(folder, file.path, `${source} spec path`) };
}

/** The mirror's checksum list for a source; official downloads are checked against the spec instead. */
export function sumsLocation(mirror: Mirror, source: string): Location | null {
  if (mirror.kind === 'official') return null;
  if (mirror.kind === 'http') return { kind: 'url', url: httpMirrorUrl(mirror.base, source, 'SHA256SUMS') };
  return { kind: 'file', file: path.join(mirrorSourceFolder(mirror, source)!, 'SHA256SUMS') };
}

/**
 * `urls/<host>/<path>`: where a mirror keeps the image behind an image URL. The query string is
 * not part of it (file names cannot carry one portably), nor is the port.
 */
export function urlMirrorPath(imageUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(imageUrl);
  } catch {
    throw new Error(`"${imageUrl}" is not a URL`);
  }
  if (!parsed.hostname) throw new Error(`"${imageUrl}" has no host`);
  let segments: string[];
  try {
    segments = parsed.pathname.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  } catch {
    throw new Error(`"${imageUrl}" has a malformed percent-encoding`);
  }
  if (segments.length === 0) throw new Error(`"${imageUrl}" has no path`);
  const unsafe = segments.find((s) => s === '.' || s === '..' || /[\\/\0]/.test(s));
  if (unsafe !== undefined) throw new Error(`"${imageUrl}" has an unsafe path segment "${unsafe}"`);
  const rel = ['urls', parsed.hostname, ...segments].join('/');
  resolveInside('/mirror', rel, 'image URL path');
  return rel;
}

function checkHttpUrl(imageUrl: string): string {
  let protocol: string;
  try {
    protocol = new URL(imageUrl).protocol;
  } catch {
    throw new Error(`"${imageUrl}" is not a URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`"${imageUrl}" is not an http(s) URL`);
  return imageUrl;
}

export function urlEntryLocation(mirror: Mirror, source: string, imageUrl: string): Location {
  if (mirror.kind === 'official') return { kind: 'url', url: checkHttpUrl(imageUrl) };
  const rel = urlMirrorPath(imageUrl);
  if (mirror.kind === 'http') return { kind: 'url', url: httpMirrorUrl(mirror.base, source, rel) };
  return { kind: 'file', file: resolveInside(mirrorSourceFolder(mirror, source)!, rel, `${source} image path`) };
}
