/**
 * One caption entry of either CapFilt layout, checked. The layout is told from the data: BLIP's
 * entries carry `url`, LAVIS's carry `image` (a path under the source folder).
 */
import { createHash } from 'node:crypto';
import { asObject, BadRecord, relativePath, str } from '../common/fields.ts';
import { IMAGES_DIR } from './spec.ts';

export type Layout = 'blip' | 'lavis';

export interface CaptionEntry {
  caption: string;
  /** Image path under the source folder. */
  imagePath: string;
  /** BLIP layout: the URL the image is fetched from. */
  url?: string;
}

/** A URL's image file: named by the URL's sha1, so the name is stable, unique and safe whatever the URL holds. */
export const urlImagePath = (url: string) => `${IMAGES_DIR}/${createHash('sha1').update(url).digest('hex')}.jpg`;

export function layoutOf(first: unknown): Layout | null {
  if (typeof first !== 'object' || first === null) return null;
  if ('url' in first) return 'blip';
  if ('image' in first) return 'lavis';
  return null;
}

function httpUrl(entry: Record<string, unknown>): string {
  const url = str(entry, 'url');
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new BadRecord('bad-value', `"url" ${JSON.stringify(url)} is not an http(s) URL`);
  }
  return url;
}

export function parseEntry(layout: Layout, value: unknown): CaptionEntry {
  const entry = asObject(value, 'caption entry');
  if (layout === 'blip') {
    const url = httpUrl(entry);
    return { caption: str(entry, 'caption'), imagePath: urlImagePath(url), url };
  }
  return { caption: str(entry, 'caption'), imagePath: relativePath(entry, 'image') };
}
