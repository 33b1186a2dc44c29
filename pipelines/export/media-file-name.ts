/**
 * The file name an exported image gets: its media-store key, made safe for file systems and URLs
 * (a video frame's `#` becomes `-`), with the extension of the bytes as stored (JPEG, or PNG for
 * small lossless inputs), since readers pick a decoder by extension.
 */
import type { StoredFormat } from '../media/encode-image.ts';

const EXTENSIONS: Record<StoredFormat, string> = { jpeg: 'jpg', png: 'png' };

export function imageExtension(format: StoredFormat): string {
  return EXTENSIONS[format];
}

export function mediaFileName(key: string, format: StoredFormat): string {
  return `${key.replace(/[^0-9A-Za-z_-]/g, '-')}.${imageExtension(format)}`;
}
