/**
 * Held-in validation: per held-in dataset with a `val` split, its first records rendered with the
 * training templates (epoch 0, fixed), tokenized and batched exactly as the training stream does,
 * built once and kept; the loss per dataset is the mean over its batches, without dropout.
 */
import { loadTemplateLibrary, renderForTraining, type TemplateLibrary, type TokenLimits } from '../../pipelines/format/index.ts';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { readSplit } from '../../pipelines/shards/shard-reader.ts';
import { type ExampleProvenance, PixelPool, pickExampleIndex, type StreamTokenizers } from '../../pipelines/stream/index.ts';
import { padSequences, targetLabels, targetLossMask } from '../../pipelines/stream/collate.ts';
import { MediaSource } from '../../pipelines/stream/media-source.ts';
import { decodeBatchFrames } from '../../pipelines/stream/pixel-batch.ts';
import { tokenizeExample, type TokenizedExample } from '../../pipelines/stream/tokenize-example.ts';
import type { ModelBatch } from './batch-tensors.ts';

export const VALIDATION_SPLIT = 'val';

export interface ValidationOptions {
  shardsDir: string;
  manifestsDir: string;
  datasets: readonly string[];
  tokenizers: StreamTokenizers;
  limits: TokenLimits;
  imageSize: number;
  batchSize: number;
  batchesPerDataset: number;
  seed: number;
  pixelPool: PixelPool;
  templates?: TemplateLibrary;
}

/** Datasets of `datasets` whose manifest has a validation split. */
export function datasetsWithValidation(manifestsDir: string, datasets: readonly string[]): string[] {
  return datasets.filter((d) => (readDatasetManifest(manifestsDir, d)?.splits[VALIDATION_SPLIT]?.records ?? 0) > 0);
}

interface Prepared {
  tokens: TokenizedExample;
  provenance: ExampleProvenance;
}

async function prepareDataset(options: ValidationOptions, dataset: string, templates: TemplateLibrary, media: MediaSource): Promise<ModelBatch[]> {
  const { tokenizers, limits, seed, batchSize } = options;
  const encoders = { tokenizers, qformer: tokenizers.qformer, lm: tokenizers.lm };
  const wanted = batchSize * options.batchesPerDataset;
  const prepared: Prepared[] = [];
  let index = 0;
  for await (const record of readSplit(options, dataset, VALIDATION_SPLIT)) {
    if (prepared.length >= wanted) break;
    const examples = renderForTraining(record, templates, { seed, epoch: 0 });
    const exampleIndex = pickExampleIndex(examples.length, seed, index);
    const example = examples[exampleIndex]!;
    const tokens = tokenizeExample(example, encoders, limits);
    prepared.push({
      tokens,
      provenance: {
        n: index, dataset, record: index, recordId: record.id, epoch: 0, templateId: example.templateId,
        exampleIndex, exampleCount: examples.length, images: record.images, truncated: tokens.truncated,
      },
    });
    index++;
  }
  const batches: ModelBatch[] = [];
  for (let start = 0; start < prepared.length; start += batchSize) {
    const chunk = prepared.slice(start, start + batchSize);
    const provenance = chunk.map((c) => c.provenance);
    const tokens = chunk.map((c) => c.tokens);
    const qformer = padSequences(tokens.map((t) => t.qformerIds), tokenizers.qformer.padId);
    const lm = padSequences(tokens.map((t) => t.lmIds), tokenizers.lm.padId);
    batches.push({
      ...(await decodeBatchFrames(provenance, media, options.pixelPool, options.imageSize)),
      qformerInputIds: qformer.ids,
      qformerAttentionMask: qformer.attentionMask,
      lmInputIds: lm.ids,
      lmAttentionMask: lm.attentionMask,
      lmLossMask: targetLossMask(tokens, lm.ids.shape[1]!),
      lmLabels: targetLabels(tokens, lm.ids.shape[1]!),
      provenance,
    });
  }
  return batches;
}

/** Validation batches by dataset (datasets without a val split are left out). */
export async function buildValidationSet(options: ValidationOptions): Promise<Map<string, ModelBatch[]>> {
  const templates = options.templates ?? loadTemplateLibrary();
  const media = await MediaSource.open(options.shardsDir);
  try {
    const out = new Map<string, ModelBatch[]>();
    for (const dataset of datasetsWithValidation(options.manifestsDir, options.datasets)) out.set(dataset, await prepareDataset(options, dataset, templates, media));
    return out;
  } finally {
    await media.close();
  }
}
