/** Small fake sources for ingest tests: a spec, an adapter around it, and mirror folders holding its files. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatSha256Sums } from '../../../pipelines/fetch/sha256-sums.ts';
import type { RawAccess } from '../../../pipelines/raw/access.ts';
import type { RawFileSpec, SourceAdapter, SourceSpec, UrlListEntry } from '../../../pipelines/sources/types.ts';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export function fakeSpec(source: string, files: Array<Partial<RawFileSpec> & { path: string }>, extra: Partial<SourceSpec> = {}): SourceSpec {
  return {
    source,
    version: '1',
    datasets: [],
    files: files.map((f) => ({ url: `https://official.invalid/${source}/${f.path}`, description: f.path, ...f })),
    expected: {},
    ...extra,
  };
}

export function fakeAdapter(spec: SourceSpec, urlList?: (raw: RawAccess) => AsyncIterable<UrlListEntry>): SourceAdapter {
  return {
    spec,
    async *read() {},
    ...(urlList ? { urlList } : {}),
  };
}

/** Writes `<dir>/<source>/<path>` for each file, and a SHA256SUMS of them unless told not to. */
export function writeMirror(dir: string, source: string, files: Record<string, Buffer | string>, options: { sums?: boolean } = {}): void {
  const root = path.join(dir, source);
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), data);
  }
  if (options.sums !== false) {
    mkdirSync(root, { recursive: true });
    const sums = new Map(Object.entries(files).filter(([rel]) => !rel.startsWith('urls/')).map(([rel, data]) => [rel, sha256(data)]));
    writeFileSync(path.join(root, 'SHA256SUMS'), formatSha256Sums(sums));
  }
}
