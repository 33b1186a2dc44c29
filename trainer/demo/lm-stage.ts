/**
 * Stage 0 of the demo: no pretrained LM can be downloaded, so a small LLaMA (built by the same module
 * that loads real checkpoints) is pretrained on grounded text from the held-in training shards,
 * checked text-only (caption in context), written as an HF folder (config.json, model.safetensors,
 * tokenizer.json) and from then on frozen. The folder is cached under .cache/lm-stage0/<key>, the key
 * a hash of the stage-0 config, the token limits and the shards' fingerprint, so it is built once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Tokenizer } from '@huggingface/tokenizers';
import type { LlamaConfig } from '../model/config.ts';
import { llamaSpecs } from '../model/llama.ts';
import { ParamSet, randomInit } from '../model/params.ts';
import type { Stage0Config, TrainConfig } from '../train/config.ts';
import { dataFingerprint } from '../train/data-fingerprint.ts';
import { LM_FILES, writeLmFolder } from '../train/lm-folder.ts';
import { bertUncasedTokenizer, lmTokenizerFrom } from '../train/tokenizers.ts';
import { buildCaptionIndex, groundedDocuments } from './grounding.ts';
import { pretrainLm } from './lm-pretrain.ts';
import { type Accuracy, meanAccuracy, textOnlyAccuracy } from './text-only-eval.ts';
import { collectVocabulary } from './vocabulary.ts';
import { WORD_SPECIAL_IDS, wordLevelTokenizer } from './word-tokenizer.ts';

export const STAGE0_CACHE = path.join('.cache', 'lm-stage0');
export const STAGE0_REPORT = 'stage0.json';
/** Bumped when the corpus or the training changes in a way the config does not show. */
const STAGE0_VERSION = 1;
/** Caption tokens kept in front of the instruction. */
const CONTEXT_LIMIT = 24;
/** Validation records per dataset for the text-only check. */
const CHECK_RECORDS = 60;

export interface Stage0Report {
  key: string;
  vocabSize: number;
  documents: number;
  steps: number;
  seconds: number;
  finalLoss: number;
  /** Caption-in-context exact match per held-in dataset with a val split. */
  textOnly: Record<string, Accuracy>;
  textOnlyMean: number;
}

export function stage0Key(stage0: Stage0Config, config: TrainConfig): string {
  const identity = { version: STAGE0_VERSION, stage0, limits: config.data.limits, mixtureSeed: config.mixture.seed, datasets: config.mixture.datasets, data: dataFingerprint(config.data.manifestsDir, config.mixture.datasets) };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}

export function readStage0Report(dir: string): Stage0Report | null {
  const file = path.join(dir, STAGE0_REPORT);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stage0Report) : null;
}

function formatAccuracy(table: Record<string, Accuracy>): string {
  return Object.entries(table).map(([d, a]) => `${d} ${(a.correct / a.total).toFixed(2)} (${a.correct}/${a.total})`).join(', ');
}

/** The cached stage-0 LM folder for this config, pretraining it first if needed. */
export async function ensureStage0Lm(stage0: Stage0Config, config: TrainConfig, log: (line: string) => void, cacheDir = STAGE0_CACHE): Promise<string> {
  const key = stage0Key(stage0, config);
  const dir = path.join(cacheDir, key);
  const cached = readStage0Report(dir);
  if (cached && existsSync(path.join(dir, LM_FILES.weights))) {
    log(`stage 0: cached LM ${dir} (text-only caption-in-context exact match ${cached.textOnlyMean.toFixed(2)})`);
    return dir;
  }
  const started = performance.now();
  const dirs = { shardsDir: config.data.shardsDir, manifestsDir: config.data.manifestsDir };
  const datasets = config.mixture.datasets;
  const seed = config.mixture.seed;

  const words = await collectVocabulary(dirs, datasets, seed, stage0.epochs);
  const tokenizerFiles = wordLevelTokenizer(words);
  const lmConfig: LlamaConfig = { ...stage0.shape, vocabSize: tokenizerFiles.vocabSize, bosTokenId: WORD_SPECIAL_IDS.bos, eosTokenId: WORD_SPECIAL_IDS.eos, padTokenId: WORD_SPECIAL_IDS.pad };
  const lmTokenizer = lmTokenizerFrom(new Tokenizer(tokenizerFiles.json, tokenizerFiles.config), tokenizerFiles.json, { bosId: lmConfig.bosTokenId, eosId: lmConfig.eosTokenId, padId: lmConfig.padTokenId });
  const tokenizers = { qformer: bertUncasedTokenizer(), lm: lmTokenizer };

  const corpus = { dirs, datasets, seed, tokenizers, limits: config.data.limits, contextLimit: CONTEXT_LIMIT };
  const trainCaptions = await buildCaptionIndex(dirs, datasets, ['train']);
  const docs = await groundedDocuments({ ...corpus, split: 'train', epochs: stage0.epochs, captions: trainCaptions });
  log(`stage 0: pretraining a ${lmConfig.numLayers}-layer, width-${lmConfig.hiddenSize} LLaMA (vocabulary ${lmConfig.vocabSize} words) on ${docs.length} grounded documents for ${stage0.steps} steps`);

  const params = new ParamSet(llamaSpecs(lmConfig, true), randomInit(stage0.seed));
  const lm = { params, cfg: lmConfig, prefix: '' };
  try {
    const losses = pretrainLm(lm, docs, {
      steps: stage0.steps, batchSize: stage0.batchSize, peakLr: stage0.peakLr, warmupSteps: stage0.warmupSteps, seed: stage0.seed,
      every: Math.max(1, Math.round(stage0.steps / 20)),
      onProgress: (step, loss, lr) => log(`stage 0: step ${step}/${stage0.steps} loss ${loss.toFixed(4)} lr ${lr.toExponential(2)} (${((performance.now() - started) / 1000).toFixed(0)} s)`),
    });
    // Captions of validation images come from the val splits: only for this check, never for training.
    const checkCaptions = await buildCaptionIndex(dirs, datasets, ['train', 'val']);
    const checkDocs = (await groundedDocuments({ ...corpus, split: 'val', epochs: 1, captions: checkCaptions, recordsPerDataset: CHECK_RECORDS })).filter((d) => d.contextIds.length > 0);
    const table = Object.fromEntries(textOnlyAccuracy(lm, lmTokenizer, checkDocs, { batchSize: 64, maxNewTokens: config.data.limits.target }));
    const report: Stage0Report = {
      key, vocabSize: lmConfig.vocabSize, documents: docs.length, steps: stage0.steps, seconds: (performance.now() - started) / 1000,
      finalLoss: losses.slice(-50).reduce((a, b) => a + b, 0) / Math.min(50, losses.length),
      textOnly: table, textOnlyMean: meanAccuracy(new Map(Object.entries(table))),
    };
    log(`stage 0: text-only caption-in-context exact match (val): ${formatAccuracy(table)}; mean ${report.textOnlyMean.toFixed(2)}`);
    writeLmFolder(dir, params, lmConfig, tokenizerFiles, { [STAGE0_REPORT]: `${JSON.stringify(report, null, 2)}\n` });
    log(`stage 0: LM written to ${dir} in ${report.seconds.toFixed(0)} s; frozen from here on`);
    return dir;
  } finally {
    params.dispose();
  }
}
