/**
 * build-shards: runs each source's adapter over the raw files and writes, per dataset, its shards,
 * quarantine files and manifest, with images in the shared media store. Per dataset, in order:
 * the manifest is removed (the dataset reads as "not built"), shards are written under temporary
 * names and renamed when complete, the media store is flushed, and the manifest is written last.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { datasetInfo } from '../../catalog.ts';
import { formatBytes } from '../../fetch/units.ts';
import { DEFAULT_ENCODE_OPTIONS, type EncodeOptions } from '../../media/encode-image.ts';
import { ImagePool } from '../../media/image-pool.ts';
import { loadMediaIndex } from '../../media/media-index.ts';
import { MediaResolver } from '../../media/media-resolver.ts';
import { MediaStore } from '../../media/media-store.ts';
import type { RawAccess } from '../../raw/access.ts';
import { openRawAccess } from '../../raw/ledger.ts';
import type { SourceAdapter, SourceSpec } from '../../sources/types.ts';
import { MEDIA_DIR } from '../layout.ts';
import { type DatasetManifest, type ManifestIndex, readAllManifests, readDatasetManifest, removeDatasetManifest, type SplitManifest, writeDatasetManifest, writeIndex } from '../manifest.ts';
import { buildIndex } from '../manifest-index.ts';
import { acquireBuildLock } from './build-lock.ts';
import { datasetManifest } from './dataset-manifest.ts';
import { overBudget } from './error-budget.ts';
import { type BuildProgress, silentProgress } from './progress.ts';
import { rawFileHasher, rawInputsFor } from './raw-inputs.ts';
import { type DatasetOutput, runSourcePass } from './source-pass.ts';
import type { ShardSizes } from './split-output.ts';
import { staleReason } from './up-to-date.ts';

export interface BuildOptions {
  /** Every adapter available; those producing a selected dataset run, the others answer `uses` lookups. */
  adapters: readonly SourceAdapter[];
  datasets: readonly string[];
  rawDir: string;
  /** Defaults to openRawAccess(rawDir), which follows in-place mirrors. */
  raw?: RawAccess;
  shardsDir: string;
  manifestsDir: string;
  force?: boolean;
  sizes?: ShardSizes;
  /** Largest share of a split that may be quarantined. */
  errorBudget?: number;
  encode?: EncodeOptions;
  imageWorkers?: number;
  progress?: BuildProgress;
  log?: (line: string) => void;
}

export type DatasetStatus = 'built' | 'up-to-date' | 'failed' | 'no-adapter';

export interface DatasetResult {
  dataset: string;
  status: DatasetStatus;
  message: string;
  manifest?: DatasetManifest;
}

export interface BuildReport {
  results: DatasetResult[];
  index: ManifestIndex;
}

export const DEFAULT_ERROR_BUDGET = 0.01;

interface Media {
  store: MediaStore;
  pool: ImagePool;
  resolver: MediaResolver;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function builtMessage(manifest: DatasetManifest): string {
  const splits = Object.entries(manifest.splits).map(([split, s]) => {
    const bytes = s.shards.reduce((n, p) => n + p.bytes, 0);
    return `${split} ${fmt(s.records)} records in ${s.shards.length} part(s), ${formatBytes(bytes)}, ${fmt(s.quarantined.total)} quarantined`;
  });
  return `built: ${splits.join('; ')}; ${fmt(manifest.media.newImagesStored)} new image(s) stored`;
}

/** Finishes every split of a dataset and writes its manifest, or fails it past the error budget. */
async function completeDataset(
  dataset: string, output: DatasetOutput, spec: SourceSpec, inputs: DatasetManifest['rawInputs'], seconds: number, options: BuildOptions,
): Promise<DatasetResult> {
  const splits: Record<string, SplitManifest> = {};
  for (const [split, out] of [...output.splits].sort(([a], [b]) => a.localeCompare(b))) splits[split] = await out.finish();
  const budget = options.errorBudget ?? DEFAULT_ERROR_BUDGET;
  const failures = Object.entries(splits)
    .map(([split, s]) => overBudget(dataset, split, { records: s.records, quarantined: s.quarantined.reasons }, budget, path.join(options.shardsDir, s.quarantined.file ?? '')))
    .filter((m): m is string => m !== null);
  if (failures.length > 0) {
    for (const s of Object.values(splits)) for (const shard of s.shards) await rm(path.join(options.shardsDir, shard.path), { force: true });
    return { dataset, status: 'failed', message: failures.join('\n') };
  }
  const manifest = datasetManifest(dataset, spec, inputs, splits, output, seconds);
  await writeDatasetManifest(options.manifestsDir, manifest);
  return { dataset, status: 'built', message: builtMessage(manifest), manifest };
}

async function buildSource(adapter: SourceAdapter, wanted: string[], media: () => Promise<Media>, raw: RawAccess, options: BuildOptions): Promise<DatasetResult[]> {
  const { spec } = adapter;
  const specOf = async (source: string): Promise<SourceSpec> => {
    const found = options.adapters.find((a) => a.spec.source === source);
    if (!found) throw new Error(`source "${spec.source}" uses "${source}", which has no adapter`);
    return found.spec;
  };
  const failAll = (datasets: string[], err: unknown): DatasetResult[] =>
    datasets.map((dataset) => ({ dataset, status: 'failed', message: `${spec.source}: ${(err as Error).message}` }));
  // Hashed on the hashing worker while the pass runs; awaited before anything depends on them.
  const pendingInputs = rawInputsFor(spec, specOf, options.rawDir, raw);
  pendingInputs.catch(() => undefined);
  const results: DatasetResult[] = [];
  const stored = (await loadMediaIndex(path.join(options.shardsDir, MEDIA_DIR), false)).locations.size;
  const stale: string[] = [];
  try {
    for (const dataset of wanted) {
      const why = options.force ? 'forced' : await staleReason(readDatasetManifest(options.manifestsDir, dataset), spec.version, () => pendingInputs, options.shardsDir, stored);
      if (why) stale.push(dataset);
      else results.push({ dataset, status: 'up-to-date', message: `up to date (adapter ${spec.version}, ${(await pendingInputs).length} raw inputs unchanged); --force rebuilds` });
    }
  } catch (err) {
    return failAll(wanted, err);
  }
  if (stale.length === 0) return results;
  for (const dataset of stale) {
    await removeDatasetManifest(options.manifestsDir, dataset);
    await rm(path.join(options.shardsDir, dataset), { recursive: true, force: true });
  }
  const m = await media();
  const started = performance.now();
  let outputs: Map<string, DatasetOutput>;
  let inputs: DatasetManifest['rawInputs'];
  try {
    outputs = await runSourcePass({
      adapter, building: new Set(stale), raw, shardsDir: options.shardsDir, sizes: options.sizes ?? {}, media: m.resolver,
      sourceSha256: rawFileHasher(options.rawDir, raw), progress: options.progress ?? silentProgress,
    });
    inputs = await pendingInputs;
  } catch (err) {
    await m.store.flush();
    for (const dataset of stale) await rm(path.join(options.shardsDir, dataset), { recursive: true, force: true });
    return [...results, ...failAll(stale, err)];
  }
  await m.store.flush();
  const seconds = (performance.now() - started) / 1000;
  for (const dataset of stale) results.push(await completeDataset(dataset, outputs.get(dataset)!, spec, inputs, seconds, options));
  return results;
}

export async function buildShards(options: BuildOptions): Promise<BuildReport> {
  const log = options.log ?? (() => undefined);
  const release = await acquireBuildLock(options.shardsDir);
  const raw = options.raw ?? openRawAccess(options.rawDir);
  let media: Media | null = null;
  const openMedia = async (): Promise<Media> => {
    if (!media) {
      const store = await MediaStore.open(options.shardsDir, { partBytes: options.sizes?.partBytes });
      const pool = new ImagePool(options.encode ?? DEFAULT_ENCODE_OPTIONS, options.imageWorkers);
      media = { store, pool, resolver: new MediaResolver(raw, store, pool) };
    }
    return media;
  };
  const results: DatasetResult[] = [];
  try {
    const selected = new Set(options.datasets);
    for (const dataset of selected) {
      datasetInfo(dataset);
      if (!options.adapters.some((a) => a.spec.datasets.includes(dataset))) {
        results.push({ dataset, status: 'no-adapter', message: `no adapter produces "${dataset}" yet` });
      }
    }
    for (const adapter of options.adapters) {
      const wanted = adapter.spec.datasets.filter((d) => selected.has(d));
      if (wanted.length === 0) continue;
      for (const result of await buildSource(adapter, wanted, openMedia, raw, options)) {
        log(`${result.dataset}: ${result.status === 'failed' ? 'FAILED: ' : ''}${result.message}`);
        results.push(result);
      }
    }
    const parts = (await loadMediaIndex(path.join(options.shardsDir, MEDIA_DIR), false)).parts;
    const index = buildIndex(readAllManifests(options.manifestsDir), {
      parts: parts.length, images: parts.reduce((n, p) => n + p.rows, 0), bytes: parts.reduce((n, p) => n + p.bytes, 0),
    });
    await writeIndex(options.manifestsDir, index);
    return { results, index };
  } finally {
    const opened = media as Media | null;
    if (opened) await opened.pool.close();
    if (!options.raw) await raw.close();
    await release();
  }
}
