/**
 * Provenance end to end: from a training example (a draw n of a mixture, or a record id) back to
 * the dataset, the shard row, the raw file (path, url, sha256 as the manifest recorded it) and the
 * record's position in it, the adapter version, and forward to the template and the text rendered.
 */
import path from 'node:path';
import { loadTemplateLibrary, renderForEvaluation, renderForTraining, type TemplateLibrary } from '../format/index.ts';
import { drawnExample, loadPlan } from '../export/mixture-examples.ts';
import { loadMixtureConfig, MixtureSampler, planFingerprint } from '../mixture/index.ts';
import type { InstructRecord } from '../record.ts';
import type { DatasetManifest, RawInput } from '../shards/manifest.ts';
import { readDatasetManifest } from '../shards/manifest.ts';
import { ShardReader } from '../shards/shard-reader.ts';
import { findRecord } from './find-record.ts';

export interface RenderedChoice {
  exampleIndex: number;
  templateId: string;
  instruction: string;
  target: string | null;
}

export interface ProvenanceChain {
  /** The draw, when traced from one. */
  draw: { n: number; mixtureConfig: string; seed: number; plan: string; epoch: number } | null;
  dataset: string;
  heldOut: boolean;
  adapterVersion: string;
  split: string;
  recordId: string;
  /** The sampler's record index (training splits only). */
  recordIndex: number | null;
  shard: { path: string; batch: number; row: number };
  sourceFile: string;
  sourceIndex: number;
  sourceSha256: string;
  /** The manifest's raw input for sourceFile; null when the manifest lists none. */
  rawInput: RawInput | null;
  /** The examples the record renders to at this epoch; `picked` is the one the draw trains on. */
  examples: RenderedChoice[];
  picked: number | null;
  images: string[];
}

export interface TraceDirs {
  shardsDir: string;
  manifestsDir: string;
  templates?: TemplateLibrary;
}

/** The raw input a record's sourceFile names: the dataset's own source first, then the sources it uses. */
export function rawInputOf(manifest: DatasetManifest, sourceFile: string): RawInput | null {
  const matches = manifest.rawInputs.filter((input) => input.path === sourceFile);
  return matches.find((input) => input.source === manifest.source) ?? matches[0] ?? null;
}

function renderChoices(record: InstructRecord, templates: TemplateLibrary, seed: number, epoch: number): RenderedChoice[] {
  if (record.heldOut) {
    const prompt = renderForEvaluation(record, templates);
    return [{ exampleIndex: 0, templateId: prompt.templateId, instruction: prompt.instruction, target: prompt.references[0] ?? null }];
  }
  return renderForTraining(record, templates, { seed, epoch }).map((e, i) => ({ exampleIndex: i, templateId: e.templateId, instruction: e.instruction, target: e.target }));
}

function chainOf(record: InstructRecord, manifest: DatasetManifest, rest: Pick<ProvenanceChain, 'draw' | 'recordIndex' | 'shard' | 'examples' | 'picked'>): ProvenanceChain {
  return {
    dataset: record.dataset, heldOut: record.heldOut, adapterVersion: manifest.adapterVersion, split: record.split, recordId: record.id,
    sourceFile: record.sourceFile, sourceIndex: record.sourceIndex, sourceSha256: record.sourceSha256,
    rawInput: rawInputOf(manifest, record.sourceFile), images: record.images, ...rest,
  };
}

/** The chain of record `recordId`, rendered at `epoch` under `seed` (a held-out record: its evaluation prompt). */
export async function traceRecord(dirs: TraceDirs, recordId: string, render: { seed?: number; epoch?: number } = {}): Promise<ProvenanceChain> {
  const found = await findRecord(dirs.shardsDir, dirs.manifestsDir, recordId);
  const templates = dirs.templates ?? loadTemplateLibrary();
  return chainOf(found.record, found.manifest, {
    draw: null, recordIndex: found.trainingIndex, shard: { path: found.shard, batch: found.batch, row: found.row },
    examples: renderChoices(found.record, templates, render.seed ?? 0, render.epoch ?? 0), picked: null,
  });
}

/** The chain of draw `n` of the mixture in trainer config `mixtureConfig`, planned with the built datasets. */
export async function traceDraw(dirs: TraceDirs, mixtureConfig: string, n: number): Promise<ProvenanceChain> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`draw index must be a non-negative integer, got ${n}`);
  const { plan, locators } = loadPlan({ shardsDir: dirs.shardsDir, manifestsDir: dirs.manifestsDir, mixture: loadMixtureConfig(mixtureConfig) });
  const sampler = new MixtureSampler(plan);
  // A draw's record depends on how often its dataset was drawn before it, so the stream is walked up to n.
  let draw = sampler.next();
  while (draw.n < n) draw = sampler.next();
  const at = locators.get(draw.dataset)!.locate(draw.record);
  const reader = await ShardReader.open(path.join(dirs.shardsDir, at.shard));
  let record: InstructRecord;
  try {
    record = await reader.readRecord(at.batch, at.row);
  } finally {
    await reader.close();
  }
  const templates = dirs.templates ?? loadTemplateLibrary();
  const example = drawnExample(draw, at, record, templates, plan.seed, 0);
  const manifest = readDatasetManifest(dirs.manifestsDir, draw.dataset)!;
  return chainOf(record, manifest, {
    draw: { n, mixtureConfig, seed: plan.seed, plan: planFingerprint(plan), epoch: draw.epoch },
    recordIndex: draw.record, shard: { path: at.shard, batch: at.batch, row: at.row },
    examples: renderChoices(record, templates, plan.seed, draw.epoch), picked: example.exampleIndex,
  });
}
