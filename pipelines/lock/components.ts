/**
 * What the data lock covers, gathered from disk. Each component maps a name to a content hash (or
 * a version), so two locks compare entry by entry:
 *   raw        raw input files (`<source>/<path>`) → sha256, from the dataset manifests
 *   adapters   dataset → adapter version that built it
 *   shards     shard part (relative to the shards folder) → sha256, from the manifests
 *   media      media-store part → sha256, from its key sidecar
 *   templates  template file (relative to the templates folder) → sha256 of its contents
 *   mixture    `config` → sha256 of the validated mixture section (weights inlined), when one is locked
 * Nothing here reads a shard or a raw file: the hashes were taken when those were written.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEMPLATE_DIR } from '../format/index.ts';
import { loadMediaIndex } from '../media/media-index.ts';
import { loadMixtureConfig } from '../mixture/index.ts';
import { MEDIA_DIR } from '../shards/layout.ts';
import { readAllManifests } from '../shards/manifest.ts';

export const LOCK_COMPONENTS = ['raw', 'adapters', 'shards', 'media', 'templates', 'mixture'] as const;
export type LockComponent = (typeof LOCK_COMPONENTS)[number];
export type LockComponents = Record<LockComponent, Record<string, string>>;

export interface LockSources {
  manifestsDir: string;
  shardsDir: string;
  templatesDir?: string;
  /** A trainer config with a `mixture` section; without one the mixture component is empty. */
  mixtureConfig?: string;
}

export const TEMPLATE_FILE_SUFFIX = '.hbs.json';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted at every level, so equal values always hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return templateFiles(dir, rel);
    return entry.name.endsWith(TEMPLATE_FILE_SUFFIX) ? [rel] : [];
  });
}

export async function gatherLockComponents(sources: LockSources): Promise<LockComponents> {
  const manifests = readAllManifests(sources.manifestsDir);
  const components: LockComponents = { raw: {}, adapters: {}, shards: {}, media: {}, templates: {}, mixture: {} };
  for (const manifest of manifests) {
    components.adapters[manifest.dataset] = manifest.adapterVersion;
    for (const input of manifest.rawInputs) components.raw[`${input.source}/${input.path}`] = input.sha256;
    for (const split of Object.values(manifest.splits)) for (const shard of split.shards) components.shards[shard.path] = shard.sha256;
  }
  const mediaDir = path.join(sources.shardsDir, MEDIA_DIR);
  if (existsSync(mediaDir)) {
    for (const part of (await loadMediaIndex(mediaDir, false)).parts) components.media[part.part] = part.sha256;
  }
  const templatesDir = sources.templatesDir ?? DEFAULT_TEMPLATE_DIR;
  for (const file of templateFiles(templatesDir)) components.templates[file] = sha256(readFileSync(path.join(templatesDir, file)));
  if (sources.mixtureConfig) components.mixture.config = sha256(canonicalJson(loadMixtureConfig(sources.mixtureConfig)));
  return components;
}
