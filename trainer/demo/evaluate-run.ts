/**
 * Held-in exact match of a finished run: the model rebuilt from the run's config and its newest
 * checkpoint, evaluated with its own images and with shuffled ones (the no-image baseline). The
 * result goes to runs/<name>/heldin-eval.json for the report.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PixelPool } from '../../pipelines/stream/index.ts';
import { writeJsonAtomic } from '../../pipelines/util/atomic.ts';
import { initBackend } from '../backend.ts';
import { buildModel, restoreTrainable } from '../train/build-model.ts';
import { readLatestCheckpoint } from '../train/checkpoint.ts';
import type { TrainConfig } from '../train/config.ts';
import { ImageFeatures } from '../train/image-features.ts';
import { readLmFolder } from '../train/lm-folder.ts';
import { resolveLmFolder } from '../train/lm-source.ts';
import { bertUncasedTokenizer } from '../train/tokenizers.ts';
import { datasetsWithValidation, VALIDATION_SPLIT } from '../train/validation.ts';
import { groundedDocuments } from './grounding.ts';
import { heldInExactMatch } from './heldin-eval.ts';
import { readStage0Report, type Stage0Report } from './lm-stage.ts';
import { type Accuracy, meanAccuracy } from './text-only-eval.ts';

export const HELDIN_EVAL_FILE = 'heldin-eval.json';

export interface HeldInEval {
  /** The frozen LM and, for a stage-0 LM, its text-only check. */
  lm: { dir: string; stage0: Stage0Report | null };
  step: number;
  examplesPerDataset: number;
  real: Record<string, Accuracy>;
  shuffled: Record<string, Accuracy>;
  realMean: number;
  shuffledMean: number;
  seconds: number;
}

export async function evaluateRun(runDir: string, config: TrainConfig, options: { examplesPerDataset: number; log: (line: string) => void }): Promise<HeldInEval> {
  const started = performance.now();
  await initBackend({ backend: config.train.backend, threads: config.train.threads });
  const lm = readLmFolder(await resolveLmFolder(config, options.log));
  const qformer = bertUncasedTokenizer();
  const model = buildModel(config.model, lm, qformer.vocabSize);
  const checkpoint = readLatestCheckpoint(path.join(runDir, 'checkpoints'));
  restoreTrainable(model, checkpoint.weights, checkpoint.dir);
  const pixelPool = new PixelPool();
  try {
    const dirs = { shardsDir: config.data.shardsDir, manifestsDir: config.data.manifestsDir };
    const docs = await groundedDocuments({
      dirs, datasets: datasetsWithValidation(dirs.manifestsDir, config.mixture.datasets), split: VALIDATION_SPLIT, epochs: 1, seed: config.mixture.seed,
      captions: new Map(), tokenizers: { qformer, lm: lm.tokenizer }, limits: config.data.limits, contextLimit: 0, recordsPerDataset: options.examplesPerDataset,
    });
    const evalOptions = {
      shardsDir: dirs.shardsDir, batchSize: 64, maxNewTokens: config.data.limits.target, lmTokenizer: lm.tokenizer, qformerPadId: qformer.padId,
      features: new ImageFeatures(model, true), pixelPool,
    };
    const real = Object.fromEntries(await heldInExactMatch(model, docs, 'real', evalOptions));
    const shuffled = Object.fromEntries(await heldInExactMatch(model, docs, 'shuffled', evalOptions));
    const result: HeldInEval = {
      lm: { dir: lm.dir, stage0: readStage0Report(lm.dir) },
      step: checkpoint.state.step, examplesPerDataset: options.examplesPerDataset, real, shuffled,
      realMean: meanAccuracy(new Map(Object.entries(real))), shuffledMean: meanAccuracy(new Map(Object.entries(shuffled))),
      seconds: (performance.now() - started) / 1000,
    };
    await writeJsonAtomic(path.join(runDir, HELDIN_EVAL_FILE), result);
    return result;
  } finally {
    await pixelPool.close();
    model.params.dispose();
  }
}
