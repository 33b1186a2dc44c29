/**
 * Peak-memory estimates, computed from the configuration before anything is allocated: on wasm an
 * out-of-memory inside XNNPACK does not throw but leaves a kernel's output unwritten (feasibility.md
 * §2), so an oversized job must be refused up front. Counts are float32 elements; activations count
 * the tensors the gradient tape keeps per layer (inputs of every matmul, softmax and norm, the
 * attention scores), so they are estimates, not exact.
 */
import { type BackendChoice, assertFitsMemory } from '../backend.ts';
import type { InstructBlipConfig, LlamaConfig, QFormerConfig, VisionConfig } from './config.ts';
import { instructBlipSpecs } from './instructblip.ts';
import { visionTokens } from './vision.ts';

const BYTES = 4;
/**
 * Measured heap over counted bytes: the model-step bench's wasm heap reached 1.28-1.42 GiB where the
 * count below gives 1.03 GiB (allocator fragmentation, XNNPACK workspaces), so estimates are scaled up.
 */
const HEAP_OVERHEAD = 1.4;

export interface StepShape {
  batch: number;
  /** Image feature tokens per image (frames x tokens for video). */
  imageTokens: number;
  instructionTokens: number;
  /** LM tokens after the soft prompt: prompt + target. */
  textTokens: number;
  /** Also count the vision encoder's forward activations (pixels in, not cached features). */
  trainVision: boolean;
}

export interface OptimizerFootprint {
  /** State tensors per parameter (Adam: 2 moments). */
  states: number;
  /**
   * Parameter-sized temporaries alive at the end of the update: tf.train.adam computes every
   * variable's update inside one tidy, so its ~11 intermediates per variable all coexist.
   */
  updateTemporaries: number;
}

export const TF_ADAM: OptimizerFootprint = { states: 2, updateTemporaries: 11 };

function qformerActivations(cfg: QFormerConfig, shape: StepShape): number {
  const q = cfg.numQueryTokens;
  const s = q + (cfg.instructionAware ? shape.instructionTokens : 0);
  const h = cfg.hiddenSize;
  let perImage = 0;
  for (let i = 0; i < cfg.numLayers; i++) {
    perImage += 16 * s * h + 4 * cfg.numHeads * s * s;
    if (i % cfg.crossAttentionFrequency === 0) perImage += 14 * q * h + 4 * shape.imageTokens * h + 4 * cfg.numHeads * q * shape.imageTokens;
    perImage += 3 * s * cfg.intermediateSize + 8 * s * h;
  }
  return perImage;
}

function llamaActivations(cfg: LlamaConfig, tokens: number): number {
  const attention = cfg.numHeads * cfg.headDim;
  return cfg.numLayers * (6 * tokens * cfg.hiddenSize + 10 * tokens * attention + 6 * tokens * cfg.intermediateSize + 3 * cfg.numHeads * tokens * tokens);
}

function visionActivations(cfg: VisionConfig): number {
  const t = visionTokens(cfg);
  return cfg.numLayers * (12 * t * cfg.hiddenSize + 3 * t * cfg.intermediateSize + 3 * cfg.numHeads * t * t);
}

/** Parameters, XNNPACK's packed copy of every Linear weight, and the trainable count. */
function parameterElements(cfg: InstructBlipConfig): { all: number; linear: number; trainable: number } {
  let all = 0;
  let linear = 0;
  let trainable = 0;
  for (const spec of instructBlipSpecs(cfg)) {
    const n = spec.hfShape.reduce((a, b) => a * b, 1);
    all += n;
    if (spec.linear) linear += n;
    if (spec.trainable) trainable += n;
  }
  return { all, linear, trainable };
}

/** Estimated peak bytes of one training step (forward, backward, optimizer update). */
export function estimateTrainingBytes(cfg: InstructBlipConfig, shape: StepShape, optimizer: OptimizerFootprint = TF_ADAM): number {
  const params = parameterElements(cfg);
  const promptTokens = cfg.qformer.numQueryTokens * Math.max(1, Math.round(shape.imageTokens / visionTokens(cfg.vision)));
  const lmTokens = promptTokens + shape.textTokens;
  const activations =
    shape.batch *
    (qformerActivations(cfg.qformer, shape) + llamaActivations(cfg.lm, lmTokens) + shape.textTokens * 3 * cfg.lm.vocabSize + (shape.trainVision ? visionActivations(cfg.vision) : 0));
  const perTrainable = 1 + optimizer.states + optimizer.updateTemporaries; // gradient, states, update
  return HEAP_OVERHEAD * BYTES * (params.all + params.linear + perTrainable * params.trainable + activations);
}

/** Estimated peak bytes of a forward pass (evaluation, generation): one layer's activations at a time. */
export function estimateForwardBytes(cfg: InstructBlipConfig, shape: StepShape): number {
  const params = parameterElements(cfg);
  const lmTokens = cfg.qformer.numQueryTokens + shape.textTokens;
  const layerPeak = Math.max(
    qformerActivations(cfg.qformer, shape) / cfg.qformer.numLayers,
    llamaActivations(cfg.lm, lmTokens) / Math.max(1, cfg.lm.numLayers),
    shape.trainVision ? visionActivations(cfg.vision) / Math.max(1, cfg.vision.numLayers) : 0,
  );
  return HEAP_OVERHEAD * BYTES * (params.all + params.linear + shape.batch * (2 * layerPeak + lmTokens * cfg.lm.vocabSize));
}

/** Refuses a training configuration the backend's heap cannot hold, saying what to change. */
export function assertTrainingFits(choice: BackendChoice, cfg: InstructBlipConfig, shape: StepShape, name: string): void {
  assertFitsMemory(
    choice,
    estimateTrainingBytes(cfg, shape),
    `a training step of ${name} at batch ${shape.batch}`,
    'lower the batch size, shorten the instruction or the text, use a narrower Q-Former, or install @tensorflow/tfjs-node(-gpu) for a native backend',
  );
}

export function assertForwardFits(choice: BackendChoice, cfg: InstructBlipConfig, shape: StepShape, name: string): void {
  assertFitsMemory(choice, estimateForwardBytes(cfg, shape), `a forward pass of ${name} at batch ${shape.batch}`, 'lower the batch size or install @tensorflow/tfjs-node(-gpu) for a native backend');
}
