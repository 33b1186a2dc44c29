import { readFileSync } from 'node:fs';
import type { UrlStatusLine } from '../../../pipelines/fetch/url-status.ts';

export function readStatusLines(file: string): UrlStatusLine[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as UrlStatusLine);
}
