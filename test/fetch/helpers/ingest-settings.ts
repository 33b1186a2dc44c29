import type { TestContext } from 'node:test';
import type { IngestSettings } from '../../../pipelines/fetch/ingest-source.ts';
import type { Mirror } from '../../../pipelines/fetch/mirror.ts';
import { silentProgress } from '../../../pipelines/fetch/progress.ts';
import { testHttp } from './settings.ts';

export function ingestSettings(t: TestContext, rawDir: string, mirror: Mirror, overrides: Partial<IngestSettings> = {}): IngestSettings {
  const { http } = testHttp(t, { retries: 1 });
  return { rawDir, mirror, http, fileConcurrency: 2, urlConcurrency: 4, maxImageBytes: 1 << 20, recheck: false, progress: silentProgress, ...overrides };
}
