/**
 * Finds the raw-source adapters: every folder under pipelines/sources/ with an adapter.ts that
 * exports `adapter`. A source folder holds spec.ts, adapter.ts, make-sample.ts and sample/.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SampleMaker, SourceAdapter } from './types.ts';

export const SOURCES_DIR = path.dirname(fileURLToPath(import.meta.url));

export function sourceIds(): string[] {
  return readdirSync(SOURCES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(SOURCES_DIR, d.name, 'adapter.ts')))
    .map((d) => d.name)
    .sort();
}

export async function loadAdapter(source: string): Promise<SourceAdapter> {
  const file = path.join(SOURCES_DIR, source, 'adapter.ts');
  if (!existsSync(file)) throw new Error(`no adapter for source "${source}" (expected ${file})`);
  const mod = (await import(pathToFileURL(file).href)) as { adapter?: SourceAdapter };
  if (!mod.adapter) throw new Error(`${file} does not export "adapter"`);
  return mod.adapter;
}

export async function loadAdapters(): Promise<SourceAdapter[]> {
  return Promise.all(sourceIds().map(loadAdapter));
}

/** The adapter that produces a catalog dataset. */
export async function adapterForDataset(dataset: string): Promise<SourceAdapter> {
  for (const adapter of await loadAdapters()) {
    if (adapter.spec.datasets.includes(dataset)) return adapter;
  }
  throw new Error(`dataset "${dataset}" has no adapter yet`);
}

export async function loadSampleMaker(source: string): Promise<SampleMaker> {
  const file = path.join(SOURCES_DIR, source, 'make-sample.ts');
  const mod = (await import(pathToFileURL(file).href)) as { makeSample?: SampleMaker };
  if (!mod.makeSample) throw new Error(`${file} does not export "makeSample"`);
  return mod.makeSample;
}

/** Folder of a source's embedded sample mirror (its files under their official names). */
export const sampleDir = (source: string) => path.join(SOURCES_DIR, source, 'sample');
