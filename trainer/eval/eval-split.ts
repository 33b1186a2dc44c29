/**
 * A held-out dataset's evaluation split, rendered with its zero-shot prompt: the examples the
 * evaluator runs, with the truth the metric scores them against. Everything that would make the
 * numbers meaningless is refused here, before the model runs: a dataset that is not built, a split
 * that is missing or empty, records without reference answers.
 */
import { datasetInfo } from '../../pipelines/catalog.ts';
import { type EvalPrompt, renderForEvaluation, type TemplateLibrary } from '../../pipelines/format/index.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { type DatasetManifest, readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { readSplit, type ShardDirs } from '../../pipelines/shards/shard-reader.ts';
import type { EvalTruth } from './metrics/index.ts';

export interface EvalExample {
  record: InstructRecord;
  prompt: EvalPrompt;
}

export interface EvalSplit {
  dataset: string;
  split: string;
  manifest: DatasetManifest;
  /** In shard order; the first `limit` when limited. */
  examples: EvalExample[];
  /** Records in the split, before any limit. */
  available: number;
}

/** The command that builds `dataset` from nothing (ingest is a no-op when its raw files are there). */
export const buildCommand = (dataset: string) => `npm run ingest -- --datasets ${dataset} && npm run build-shards -- --datasets ${dataset}`;

/** The split the catalog evaluates (the paper's: GQA testdev, VizWiz val, ...). */
export function evaluationSplit(dataset: string): string {
  const info = datasetInfo(dataset);
  if (!info.heldOut) throw new Error(`"${dataset}" is held-in (a training dataset); zero-shot evaluation is for the held-out datasets`);
  const split = info.evalSplits[0];
  if (split === undefined) throw new Error(`"${dataset}" has no evaluation split in the catalog`);
  return split;
}

export function requireBuilt(manifestsDir: string, dataset: string, split: string): DatasetManifest {
  const manifest = readDatasetManifest(manifestsDir, dataset);
  if (manifest === null) throw new Error(`held-out dataset "${dataset}" is not built (no ${dataset}.json in ${manifestsDir}); build it with: ${buildCommand(dataset)}`);
  const entry = manifest.splits[split];
  if (entry === undefined) {
    throw new Error(`"${dataset}" was built without its evaluation split "${split}" (it has: ${Object.keys(manifest.splits).join(', ') || 'none'}); add the split's raw files and rebuild: ${buildCommand(dataset)}`);
  }
  if (entry.records === 0) throw new Error(`"${dataset}" split "${split}" has no records (${entry.quarantined.total} quarantined, see ${entry.quarantined.file ?? 'the manifest'}); fix the raw data and rebuild: ${buildCommand(dataset)}`);
  return manifest;
}

/** Every example must have what its metric scores against; withheld answers are refused by name. */
export function assertReferences(dataset: string, split: string, examples: readonly EvalExample[]): void {
  const missing = examples.filter((e) => e.prompt.references.length === 0);
  if (missing.length === 0) return;
  const shown = missing.slice(0, 5).map((e) => e.record.id).join(', ');
  const what = missing.length === examples.length
    ? `none of its ${examples.length} records has reference answers (withheld answers are scored by the dataset's server, not here)`
    : `${missing.length} of ${examples.length} records have no reference answers`;
  throw new Error(`${dataset} split "${split}": ${what}: ${shown}${missing.length > 5 ? ', ...' : ''}; evaluate a split that ships its answers, or rebuild from the annotation files that have them`);
}

export async function readEvalSplit(dirs: ShardDirs, dataset: string, library: TemplateLibrary, limit?: number): Promise<EvalSplit> {
  const split = evaluationSplit(dataset);
  const manifest = requireBuilt(dirs.manifestsDir, dataset, split);
  const examples: EvalExample[] = [];
  for await (const record of readSplit(dirs, dataset, split)) {
    if (limit !== undefined && examples.length >= limit) break;
    examples.push({ record, prompt: renderForEvaluation(record, library) });
  }
  assertReferences(dataset, split, examples);
  return { dataset, split, manifest, examples, available: manifest.splits[split]!.records };
}

/** What the metric scores an example against. */
export function truthOf(example: EvalExample): EvalTruth {
  const { record, prompt } = example;
  return { id: record.id, references: prompt.references, candidates: prompt.candidates, answerIndex: prompt.answerIndex, label: record.label, meta: record.meta };
}
