/** Small fake adapters over files in a temp raw folder, for the build tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RawAccess } from '../../pipelines/raw/access.ts';
import type { AdapterOutput, MediaRef, SourceAdapter, SourceRecord } from '../../pipelines/sources/types.ts';

export interface FakeSource {
  source: string;
  datasets: string[];
  version?: string;
  uses?: string[];
  /** Files of the source's spec (paths under raw/<source>/). */
  files: string[];
  read: (raw: RawAccess) => AsyncIterable<AdapterOutput>;
}

export function fakeAdapter(fake: FakeSource): SourceAdapter {
  return {
    spec: {
      source: fake.source,
      version: fake.version ?? '1',
      datasets: fake.datasets,
      uses: fake.uses,
      files: fake.files.map((p) => ({ path: p, url: `https://example.org/${fake.source}/${p}`, description: p })),
      expected: {},
    },
    read: fake.read,
  };
}

export function writeRaw(rawDir: string, source: string, file: string, data: string | Buffer): void {
  const full = path.join(rawDir, source, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, data);
}

export function sourceRecord(dataset: string, split: string, index: number, media: MediaRef[], sourceFile = 'annotations.json'): SourceRecord {
  return {
    id: `${dataset}/${split}/${index}`, dataset, split, question: `what is in picture ${index}?`, answers: [`thing ${index % 5}`],
    answerWeights: [1], choices: [], answerIndex: null, context: null, ocrTokens: [], dialog: [], conversation: [], label: null,
    meta: null, sourceFile, sourceIndex: index, media,
  };
}

export const imageRef = (source: string, file: string): MediaRef => ({ kind: 'image', source, path: file });
