/**
 * Grounded text for the demo's stage 0 (research/toy-learnability.md §3.2): every held-in training
 * example becomes "caption of its image, then the instruction, then the target the caption implies",
 * so the LM learns to read the answer from what stands before the instruction, the slot the
 * Q-Former's soft prompt later fills. Captions come from the captioning datasets' records of the
 * same image (COCO, Web CapFilt, TextCaps); an image no caption describes gets no context.
 */
import { datasetInfo } from '../../pipelines/catalog.ts';
import { loadTemplateLibrary, renderForTraining, type TokenLimits } from '../../pipelines/format/index.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { readSplit, type ShardDirs } from '../../pipelines/shards/shard-reader.ts';
import type { StreamTokenizers } from '../../pipelines/stream/index.ts';
import { tokenizeExample } from '../../pipelines/stream/tokenize-example.ts';
import { hashString, uniform } from '../../pipelines/util/random.ts';

/** Media key -> every caption of that image. */
export type CaptionIndex = Map<string, string[]>;

const CAPTION_STREAM = hashString('demo/caption');

async function* records(dirs: ShardDirs, dataset: string, splits: readonly string[]): AsyncGenerator<InstructRecord> {
  const manifest = readDatasetManifest(dirs.manifestsDir, dataset);
  for (const split of splits) if (manifest?.splits[split]) yield* readSplit(dirs, dataset, split);
}

export async function buildCaptionIndex(dirs: ShardDirs, datasets: readonly string[], splits: readonly string[]): Promise<CaptionIndex> {
  const index: CaptionIndex = new Map();
  for (const dataset of datasets.filter((d) => datasetInfo(d).task === 'caption')) {
    for await (const record of records(dirs, dataset, splits)) {
      for (const key of record.images) {
        const list = index.get(key) ?? [];
        list.push(...record.answers);
        index.set(key, list);
      }
    }
  }
  return index;
}

/** One caption of the record's first image, chosen per (seed, record, epoch); '' when none exists. */
export function pickCaption(captions: CaptionIndex, record: InstructRecord, seed: number, epoch: number): string {
  const pool = captions.get(record.images[0] ?? '') ?? [];
  return pool.length === 0 ? '' : pool[Math.floor(uniform(seed, CAPTION_STREAM, hashString(record.id), epoch) * pool.length)]!;
}

/** One grounded document as LM tokens: context, then [BOS] instruction target [EOS] as the stream builds it. */
export interface GroundedDocument {
  dataset: string;
  recordId: string;
  /** Media keys of the record's frames (the evaluation shows them to the Q-Former). */
  images: string[];
  /** [CLS] instruction [SEP] for the Q-Former. */
  qformerIds: number[];
  /** The caption's token ids (in the soft prompt's place). */
  contextIds: number[];
  /** [BOS] instruction target [EOS]. */
  lmIds: number[];
  /** Index in lmIds of the first target token. */
  targetStart: number;
  /** References for exact match: the target and, except for question generation, every answer or caption of the record. */
  references: string[];
}

export interface CorpusOptions {
  dirs: ShardDirs;
  datasets: readonly string[];
  split: string;
  /** Renderings per record (each epoch its own template, answer and caption). */
  epochs: number;
  seed: number;
  captions: CaptionIndex;
  tokenizers: StreamTokenizers;
  limits: TokenLimits;
  /** Context tokens kept (captions are cut from the right). */
  contextLimit: number;
  /** Stop after this many records per dataset (evaluation subsets). */
  recordsPerDataset?: number;
}

export async function groundedDocuments(options: CorpusOptions): Promise<GroundedDocument[]> {
  const templates = loadTemplateLibrary();
  const { tokenizers, limits } = options;
  const encoders = { tokenizers, qformer: tokenizers.qformer, lm: tokenizers.lm };
  const out: GroundedDocument[] = [];
  for (const dataset of options.datasets) {
    let seen = 0;
    for await (const record of records(options.dirs, dataset, [options.split])) {
      if (options.recordsPerDataset !== undefined && seen++ >= options.recordsPerDataset) break;
      for (let epoch = 0; epoch < options.epochs; epoch++) {
        const caption = pickCaption(options.captions, record, options.seed, epoch);
        const contextIds = tokenizers.lm.encode(caption).slice(0, options.contextLimit);
        for (const example of renderForTraining(record, templates, { seed: options.seed, epoch })) {
          const tokens = tokenizeExample(example, encoders, limits);
          // Any human answer (VQA) or any reference caption counts; a generated question must be the target.
          const answers = datasetInfo(dataset).task === 'vqg' ? [] : record.answers;
          out.push({
            dataset, recordId: record.id, images: record.images, qformerIds: tokens.qformerIds,
            contextIds, lmIds: tokens.lmIds, targetStart: tokens.targetStart, references: [example.target, ...answers],
          });
        }
      }
    }
  }
  return out;
}
