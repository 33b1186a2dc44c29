/**
 * The training loop. Read top to bottom: set up (backend, frozen LM, model, optimizer, stream,
 * validation set), then for each step: pull micro-batches, one optimizer step, log, validate now and
 * then, checkpoint now and then. Everything a resume needs is in the checkpoint; everything random is
 * a function of (seed, step), so a resumed run repeats the uninterrupted one.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { expectedLedger, observedLedger } from '../../pipelines/mixture/index.ts';
import { writeJsonAtomic } from '../../pipelines/util/atomic.ts';
import { createTrainingStream, PixelPool } from '../../pipelines/stream/index.ts';
import { initBackend } from '../backend.ts';
import { assertTrainingFits } from '../model/memory.ts';
import { visionTokens } from '../model/vision.ts';
import { AdamW } from './adamw.ts';
import { batchTensors, disposeBatch, type ModelBatch } from './batch-tensors.ts';
import { buildModel, instructBlipConfigFor, momentTensors, optimizedParams, restoreMoments, restoreTrainable, trainableTensors } from './build-model.ts';
import { type LoadedCheckpoint, readLatestCheckpoint, removePartialCheckpoints, writeCheckpoint } from './checkpoint.ts';
import type { TrainConfig } from './config.ts';
import { dataFingerprint } from './data-fingerprint.ts';
import { ImageFeatures } from './image-features.ts';
import { readLmConfig, readLmFolder } from './lm-folder.ts';
import { resolveLmFolder } from './lm-source.ts';
import { MetricsLog } from './metrics.ts';
import { createProgress } from './progress.ts';
import { ALL_SECTIONS } from './report/all-sections.ts';
import { writeReport } from './report/report.ts';
import { assertFreshRun, checkResumable } from './resume.ts';
import { learningRate } from './schedule.ts';
import { evaluationLoss, optimizerStep } from './step.ts';
import { GradientSum } from './gradients.ts';
import { bertUncasedTokenizer } from './tokenizers.ts';
import { buildValidationSet } from './validation.ts';

export const RUN_FILES = { config: 'config.json', metrics: 'metrics.jsonl', checkpoints: 'checkpoints' } as const;

export interface TrainOptions {
  config: TrainConfig;
  runDir: string;
  /** Continue from the newest checkpoint in runDir. */
  resume: boolean;
  /** Resume even if the config or the shards changed. */
  force: boolean;
  log?: (line: string) => void;
  /** Plain progress lines every N steps when not on a TTY. */
  progressEvery?: number;
}

export interface TrainResult {
  steps: number;
  lastLoss: number;
  seconds: number;
}

/** A NaN or infinite loss: names the step and the batch's records; the last good checkpoint stays. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly loss: number, readonly gradNorm: number, readonly recordIds: string[]) {
    super(`step ${step}: loss ${loss}, gradient norm ${gradNorm}: training stopped before updating; the last good checkpoint is kept. Records of the batch: ${recordIds.join(', ')}`);
    this.name = 'NonFiniteLossError';
  }
}

/** Mean validation loss per dataset. */
function validationLosses(validation: ReadonlyMap<string, ModelBatch[]>, features: ImageFeatures, model: Parameters<typeof evaluationLoss>[0], instructionAware: boolean): Record<string, number> {
  const losses: Record<string, number> = {};
  for (const [dataset, batches] of validation) {
    let sum = 0;
    for (const batch of batches) {
      const tensors = batchTensors(batch, features.forBatch(batch), instructionAware);
      try {
        sum += evaluationLoss(model, tensors);
      } finally {
        disposeBatch(tensors);
      }
    }
    losses[dataset] = sum / batches.length;
  }
  return losses;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { config, runDir } = options;
  const { train: hp, data } = config;
  const log = options.log ?? ((line: string) => console.log(line));
  const checkpointsDir = path.join(runDir, RUN_FILES.checkpoints);
  const fingerprint = dataFingerprint(data.manifestsDir, config.mixture.datasets);

  let resumeFrom: LoadedCheckpoint | null = null;
  if (options.resume) {
    resumeFrom = readLatestCheckpoint(checkpointsDir);
    for (const warning of checkResumable(resumeFrom.state, config, fingerprint, options.force)) log(`warning (--force): ${warning}`);
    log(`resuming from ${resumeFrom.dir} (step ${resumeFrom.state.step})`);
  } else {
    assertFreshRun(runDir, checkpointsDir);
  }
  // On a forced resume this records the config the run continues with.
  await writeJsonAtomic(path.join(runDir, RUN_FILES.config), config);
  removePartialCheckpoints(checkpointsDir);

  const backend = await initBackend({ backend: hp.backend, threads: hp.threads });
  log(`backend: ${backend.description}`);
  const lmDir = await resolveLmFolder(config, log);
  const qformerTokenizer = bertUncasedTokenizer();
  // Sizes from config files alone (model.init's config.json is merged into config.model), so a model
  // the heap cannot hold is refused before any weight is read.
  const planned = instructBlipConfigFor(config.model, readLmConfig(lmDir), qformerTokenizer.vocabSize);
  assertTrainingFits(backend, planned, {
    batch: hp.microBatchSize, imageTokens: visionTokens(planned.vision), instructionTokens: data.limits.qformerInstruction,
    textTokens: data.limits.lmInstruction + data.limits.target, trainVision: false,
  }, config.name);
  const lm = readLmFolder(lmDir);
  const model = buildModel(config.model, lm, qformerTokenizer.vocabSize);
  const instructionAware = model.cfg.qformer.instructionAware;
  const optimizer = new AdamW(optimizedParams(model), hp.adamw);
  if (resumeFrom) {
    restoreTrainable(model, resumeFrom.weights, resumeFrom.dir);
    restoreMoments(model, optimizer, resumeFrom.optimizer, resumeFrom.state.optimizerUpdates, resumeFrom.dir);
  }
  log(`model: ${model.params.count((s) => s.trainable).toLocaleString('en-US')} trainable parameters of ${model.params.count().toLocaleString('en-US')}; instruction-aware ${instructionAware}; LM ${lm.dir}`);

  const tokenizers = { qformer: qformerTokenizer, lm: lm.tokenizer };
  const pixelPool = new PixelPool();
  const accumulation = hp.batchSize / hp.microBatchSize;

  const validation = hp.validateEvery > 0
    ? await buildValidationSet({
      shardsDir: data.shardsDir, manifestsDir: data.manifestsDir, datasets: config.mixture.datasets, tokenizers, limits: data.limits,
      imageSize: data.imageSize, batchSize: hp.microBatchSize, batchesPerDataset: hp.validationBatches, seed: config.mixture.seed, pixelPool,
    })
    : new Map<string, ModelBatch[]>();
  const features = new ImageFeatures(model, data.cacheImageFeatures);
  const stream = await createTrainingStream({
    shardsDir: data.shardsDir, manifestsDir: data.manifestsDir, mixture: config.mixture, budget: hp.steps * hp.batchSize,
    tokenizers, batchSize: hp.microBatchSize, resumeFrom: resumeFrom?.state.sampler, allowMixtureChange: options.force,
    prefetch: data.prefetch * accumulation, imageSize: data.imageSize, limits: data.limits, pixelPool,
    // Cached features make the pixels of a seen image dead weight: decoding them would only take CPU from the step.
    skipImage: (key) => features.has(key),
  });
  const startStep = resumeFrom?.state.step ?? 0;
  const metrics = await MetricsLog.open(path.join(runDir, RUN_FILES.metrics), startStep);
  const progress = createProgress({ total: hp.steps, startStep, every: options.progressEvery ?? Math.max(1, Math.round(hp.steps / 50)) });
  const ctx = { model, optimizer, seed: hp.seed, clipGradNorm: hp.clipGradNorm, gradients: new GradientSum() };
  const started = performance.now();
  let lastLoss = Number.NaN;

  try {
    for (let step = startStep; step < hp.steps; step++) {
      const stepStart = performance.now();
      const streamBatches = [];
      for (let i = 0; i < accumulation; i++) streamBatches.push(await stream.next());
      const dataWait = (performance.now() - stepStart) / 1000;

      const micro = streamBatches.map((b) => batchTensors(b, features.forBatch(b), instructionAware));
      const lr = learningRate(hp.schedule, step, hp.steps);
      let outcome;
      try {
        outcome = optimizerStep(ctx, micro, step, lr);
      } finally {
        micro.forEach(disposeBatch);
        // The pixels went into tensors that are disposed now: their arrays can take the next batches.
        streamBatches.forEach((b) => stream.release(b));
      }
      const done = step + 1;
      if (!outcome.finite) {
        const error = new NonFiniteLossError(done, outcome.loss, outcome.gradNorm, streamBatches.flatMap((b) => b.provenance.map((p) => p.recordId)));
        metrics.append({ kind: 'event', step: done, message: error.message });
        throw error;
      }
      lastLoss = outcome.loss;
      const seconds = (performance.now() - stepStart) / 1000;
      metrics.append({ kind: 'train', step: done, loss: outcome.loss, lr, gradNorm: outcome.gradNorm, examples: done * hp.batchSize, seconds, dataWait });
      progress.update({ step: done, loss: outcome.loss, lr, examplesPerSecond: hp.batchSize / seconds });

      if (validation.size > 0 && (done % hp.validateEvery === 0 || done === hp.steps)) {
        const losses = validationLosses(validation, features, model, instructionAware);
        metrics.append({ kind: 'val', step: done, losses });
        progress.note(`step ${done} validation loss: ${Object.entries(losses).map(([d, l]) => `${d} ${l.toFixed(3)}`).join(', ')}`);
      }
      if (done % hp.checkpointEvery === 0 || done === hp.steps) {
        const sampler = stream.state();
        const dir = writeCheckpoint(checkpointsDir, {
          weights: trainableTensors(model),
          optimizer: momentTensors(model, optimizer),
          ledger: { observed: observedLedger(stream.plan, sampler), expected: expectedLedger(stream.plan, sampler.next) },
          state: { step: done, optimizerUpdates: optimizer.updates, sampler, rng: { seed: hp.seed }, config, data: fingerprint },
        }, hp.keepCheckpoints);
        progress.note(`step ${done}: checkpoint ${dir}`);
      }
    }
  } finally {
    progress.stop();
    await stream.close();
    await pixelPool.close();
    model.params.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  log(`trained steps ${startStep + 1}-${hp.steps} in ${seconds.toFixed(1)} s; last loss ${lastLoss.toFixed(4)}; ${features.cachedImages} image features cached`);
  log(`report: ${await writeReport(runDir, { sections: ALL_SECTIONS })}`);
  return { steps: hp.steps, lastLoss, seconds };
}
