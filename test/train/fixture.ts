/**
 * A tiny training setup for the trainer's tests: built shards of two held-in datasets (one with a
 * val split), a random tiny LLaMA in an HF folder with a word-level tokenizer over the fixture's
 * text, and a config small enough that a step takes milliseconds on the cpu backend.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InstructRecord } from '../../pipelines/record.ts';
import { readDatasetManifest, writeDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { ShardWriter } from '../../pipelines/shards/shard-writer.ts';
import { DEFAULT_TEMPLATE_DIR } from '../../pipelines/format/index.ts';
import { readdirSync } from 'node:fs';
import { initBackend } from '../../trainer/backend.ts';
import type { LlamaConfig } from '../../trainer/model/config.ts';
import { llamaSpecs } from '../../trainer/model/llama.ts';
import { ParamSet, randomInit } from '../../trainer/model/params.ts';
import { WORD_SPECIAL_IDS, wordLevelTokenizer, wordSplitter } from '../../trainer/demo/word-tokenizer.ts';
import type { TrainConfig } from '../../trainer/train/config.ts';
import { writeLmFolder } from '../../trainer/train/lm-folder.ts';
import { buildFixture, type Fixture } from '../stream/fixture.ts';

export const TRAIN_DATASETS = { 'coco-caption': 10, vqav2: 14 };

/** Adds a `val` split of `count` records (copies of training ones, renamed) to a built dataset. */
async function addValidationSplit(fixture: Fixture, dataset: string, count: number): Promise<void> {
  const records: InstructRecord[] = fixture.records.get(dataset)!.slice(0, count).map((r, i) => ({ ...r, id: `${dataset}/val/${i}`, split: 'val' }));
  const writer = new ShardWriter({ shardsDir: fixture.shardsDir, dataset, split: 'val', batchRows: 4, partBytes: 6000 });
  for (const r of records) await writer.append(r);
  const shards = await writer.finish();
  const manifest = readDatasetManifest(fixture.manifestsDir, dataset)!;
  manifest.splits.val = { records: count, quarantined: { total: 0, reasons: {}, file: null }, skipped: {}, shards };
  await writeDatasetManifest(fixture.manifestsDir, manifest);
}

function fixtureWords(fixture: Fixture): string[] {
  const split = wordSplitter();
  const texts = [...fixture.records.values()].flat().map((r) => JSON.stringify([r.question, r.answers, r.conversation]));
  for (const file of readdirSync(path.join(DEFAULT_TEMPLATE_DIR, 'train'))) texts.push(readFileSync(path.join(DEFAULT_TEMPLATE_DIR, 'train', file), 'utf8'));
  return texts.flatMap(split);
}

export const TINY_LM_SHAPE = {
  hiddenSize: 16, intermediateSize: 32, numLayers: 1, numHeads: 2, numKeyValueHeads: 2, headDim: 8,
  rmsNormEps: 1e-6, ropeTheta: 10000, maxPositionEmbeddings: 256, tieWordEmbeddings: true, attentionBias: false,
};

function writeTinyLm(dir: string, words: string[]): void {
  const { json, config: tokenizerConfig, vocabSize } = wordLevelTokenizer(words);
  const config: LlamaConfig = { ...TINY_LM_SHAPE, vocabSize, bosTokenId: WORD_SPECIAL_IDS.bos, eosTokenId: WORD_SPECIAL_IDS.eos, padTokenId: WORD_SPECIAL_IDS.pad };
  const params = new ParamSet(llamaSpecs(config, false), randomInit(5));
  try {
    writeLmFolder(dir, params, config, { json, config: tokenizerConfig });
  } finally {
    params.dispose();
  }
}

export interface TrainFixture extends Fixture {
  root: string;
  lmDir: string;
  config: TrainConfig;
  configFile: string;
}

export function tinyConfig(fixture: Fixture, lmDir: string): TrainConfig {
  return {
    name: 'tiny',
    model: {
      vision: { hiddenSize: 16, numLayers: 1, numHeads: 2, intermediateSize: 32, imageSize: 32, patchSize: 16, layerNormEps: 1e-6, qkvBias: true },
      qformer: {
        hiddenSize: 16, numLayers: 2, numHeads: 2, intermediateSize: 32, numQueryTokens: 4, crossAttentionFrequency: 1,
        layerNormEps: 1e-12, hiddenDropout: 0.1, attentionDropout: 0.1, instructionAware: true, maxPositionEmbeddings: 64,
      },
      lm: { checkpoint: lmDir },
      initSeed: 3,
      softPromptInit: 'lm-embedding-norm',
    },
    train: {
      steps: 6, batchSize: 4, microBatchSize: 2, seed: 9,
      schedule: { peakLr: 1e-3, warmupStartLr: 1e-8, warmupSteps: 2, minLr: 0 },
      adamw: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 },
      clipGradNorm: 1, checkpointEvery: 2, keepCheckpoints: 2, validateEvery: 3, validationBatches: 2, backend: 'cpu',
    },
    data: {
      shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, imageSize: 32,
      limits: { qformerInstruction: 24, lmInstruction: 24, target: 16 }, prefetch: 1, cacheImageFeatures: true,
    },
    mixture: { policy: 'sqrt', seed: 7, datasets: Object.keys(TRAIN_DATASETS), parameters: {}, adjustments: {} },
  };
}

export async function buildTrainFixture(root: string): Promise<TrainFixture> {
  await initBackend({ backend: 'cpu' });
  const fixture = await buildFixture(root, { datasets: TRAIN_DATASETS, heldOutRecords: 3 });
  await addValidationSplit(fixture, 'vqav2', 6);
  const lmDir = path.join(root, 'lm');
  writeTinyLm(lmDir, fixtureWords(fixture));
  const config = tinyConfig(fixture, lmDir);
  const configFile = path.join(root, 'tiny.json');
  mkdirSync(root, { recursive: true });
  writeFileSync(configFile, JSON.stringify({ ...config, name: undefined }, null, 2));
  return { ...fixture, root, lmDir, config, configFile };
}
