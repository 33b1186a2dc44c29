/**
 * One optimizer step over several micro-batches: each micro-batch's loss and gradients (with its
 * dropout masks seeded from (run seed, step, micro-batch)), gradients averaged over micro-batches,
 * clipped by global norm, then one AdamW update. A non-finite loss or gradient norm skips the
 * update and says so: the caller stops the run.
 */
import * as tf from '@tensorflow/tfjs';
import { hash32 } from '../../pipelines/util/random.ts';
import type { InstructBlip } from '../model/instructblip.ts';
import { withDropoutSeeds } from '../model/layers.ts';
import type { AdamW, OptimizedParam } from './adamw.ts';
import { type GradientSum, clipByGlobalNorm } from './gradients.ts';
import { type HiddenBatch, trainingLoss } from './model.ts';

export interface StepOutcome {
  /** Mean of the micro-batch losses. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** False when the loss or the gradients were NaN or infinite; nothing was updated then. */
  finite: boolean;
}

/** Dropout seeds for one micro-batch: a pure function of (seed, step, micro, call number). */
export function dropoutSeeds(seed: number, step: number, micro: number): () => number {
  let call = 0;
  return () => hash32(seed, step, micro, call++);
}

/** Loss and gradients of one micro-batch, keyed by parameter name (TF.js keys them by variable name). */
function microGradients(model: InstructBlip, params: readonly OptimizedParam[], batch: HiddenBatch, seeds: () => number): { loss: number; grads: Record<string, tf.Tensor> } {
  const variables = params.map((p) => p.variable);
  const { value, grads } = withDropoutSeeds(seeds, () => tf.variableGrads(() => trainingLoss(model, batch, true), variables));
  const loss = value.dataSync()[0]!;
  value.dispose();
  const byParam: Record<string, tf.Tensor> = {};
  for (const p of params) if (grads[p.variable.name] !== undefined) byParam[p.name] = grads[p.variable.name]!;
  return { loss, grads: byParam };
}

export interface StepContext {
  model: InstructBlip;
  optimizer: AdamW;
  seed: number;
  clipGradNorm: number | null;
  /** Host arrays for the gradients, reused by every step. */
  gradients: GradientSum;
}

export function optimizerStep(ctx: StepContext, micro: readonly HiddenBatch[], step: number, lr: number): StepOutcome {
  ctx.gradients.begin();
  let lossSum = 0;
  micro.forEach((batch, i) => {
    const { loss, grads } = microGradients(ctx.model, ctx.optimizer.params, batch, dropoutSeeds(ctx.seed, step, i));
    lossSum += loss;
    try {
      ctx.gradients.add(grads, 1 / micro.length);
    } finally {
      tf.dispose(Object.values(grads));
    }
  });
  const loss = lossSum / micro.length;
  const gradNorm = clipByGlobalNorm(ctx.gradients.total, ctx.clipGradNorm);
  const finite = Number.isFinite(loss) && Number.isFinite(gradNorm);
  if (finite) ctx.optimizer.apply(ctx.gradients.total, lr);
  return { loss, gradNorm, finite };
}

/** The loss of one batch without dropout and without gradients (validation). */
export function evaluationLoss(model: InstructBlip, batch: HiddenBatch): number {
  return tf.tidy(() => trainingLoss(model, batch, false).dataSync()[0]!);
}
