/**
 * Builds the model a config describes: the frozen LM from its folder, everything else from the
 * `model.init` checkpoint (init-checkpoint.ts) or freshly initialised from the config's seed,
 * LAVIS's trainable set, and the soft-prompt scale. Also moves trainable weights and optimizer
 * moments in and out of checkpoints (HF names and layout).
 */
import * as tf from '@tensorflow/tfjs';
import type { InstructBlipConfig, LlamaConfig } from '../model/config.ts';
import { checkpointSource, mapLookup, toHFTensors } from '../model/hf-checkpoint.ts';
import { type InstructBlip, LM_PREFIX } from '../model/instructblip.ts';
import { type ValueSource, randomInit } from '../model/params.ts';
import type { TensorData, TensorToWrite } from '../weights.ts';
import { type AdamW, type Moments, type OptimizedParam, decays } from './adamw.ts';
import { MOMENT_SUFFIXES } from './checkpoint.ts';
import type { ModelSection } from './config.ts';
import { openInitPlan } from './init-checkpoint.ts';
import type { LmFolder } from './lm-folder.ts';
import { createTrainingModel } from './model.ts';

export function instructBlipConfigFor(model: ModelSection, lm: LlamaConfig, qformerVocabSize: number): InstructBlipConfig {
  return {
    vision: model.vision,
    qformer: { ...model.qformer, encoderHiddenSize: model.vision.hiddenSize, vocabSize: qformerVocabSize },
    lm,
  };
}

/** Mean L2 norm of the LM's token embeddings. */
export function embeddingNorm(model: InstructBlip): number {
  return tf.tidy(() => model.params.get(`${LM_PREFIX}model.embed_tokens.weight`).norm('euclidean', 1).mean().dataSync()[0]!);
}

/**
 * Rescales language_projection's init so a soft-prompt vector has the norm of an LM token embedding:
 * the Q-Former's output is LayerNorm'ed (per-vector mean 0, variance 1, so norm sqrt(h)), and a
 * normal(0, s) projection to width d gives norm sqrt(d * h) * s.
 */
export function matchSoftPromptScale(model: InstructBlip): { target: number; std: number } {
  const target = embeddingNorm(model);
  const std = target / Math.sqrt(model.cfg.qformer.hiddenSize * model.cfg.lm.hiddenSize);
  const weight = model.params.get('language_projection.weight');
  const current = tf.tidy(() => tf.moments(weight).variance.sqrt().dataSync()[0]!);
  const scaled = tf.tidy(() => weight.mul(std / current));
  weight.assign(scaled);
  scaled.dispose();
  return { target, std };
}

/** `qformerVocabSize` is the Q-Former tokenizer's; an init checkpoint's word-embedding table may add [DEC]. */
export function buildModel(model: ModelSection, lm: LmFolder, qformerVocabSize: number): InstructBlip {
  const fromLm = checkpointSource(lm.weights, lm.dir, { checkpointName: (name) => name.slice(LM_PREFIX.length) });
  const build = (cfg: InstructBlipConfig, others: ValueSource, freshProjection: boolean): InstructBlip => {
    const built = createTrainingModel(cfg, (spec, index) => (spec.name.startsWith(LM_PREFIX) ? fromLm : others)(spec, index));
    if (freshProjection && model.softPromptInit === 'lm-embedding-norm') matchSoftPromptScale(built);
    return built;
  };
  if (model.init === undefined) return build(instructBlipConfigFor(model, lm.config, qformerVocabSize), randomInit(model.initSeed), true);
  const plan = openInitPlan(model.init, model.initSeed, qformerVocabSize, (vocab) => instructBlipConfigFor(model, lm.config, vocab));
  try {
    return build(plan.cfg, plan.source, plan.fresh('language_projection.weight'));
  } finally {
    plan.close();
  }
}

export function optimizedParams(model: InstructBlip): OptimizedParam[] {
  return [...model.params.specs.values()].filter((s) => s.trainable).map((spec) => ({ name: spec.name, variable: model.params.get(spec.name), decay: decays(spec) }));
}

/** Trainable weights in HF names and layout. */
export function trainableTensors(model: InstructBlip): TensorToWrite[] {
  return toHFTensors(model.params, (spec) => spec.trainable);
}

/** [rows, cols] row-major values transposed: the stored [in, out] layout of a Linear to HF's [out, in], or back. */
export function transposed(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** The AdamW moments as `<name>.exp_avg` / `.exp_avg_sq`, in HF layout like the weights. */
export function momentTensors(model: InstructBlip, optimizer: AdamW): TensorToWrite[] {
  const out: TensorToWrite[] = [];
  for (const [name, moments] of optimizer.moments) {
    const spec = model.params.specs.get(name)!;
    const [stored0, stored1] = model.params.get(name).shape;
    for (const [key, suffix] of Object.entries(MOMENT_SUFFIXES) as ['m' | 'v', string][]) {
      out.push({ name: `${name}${suffix}`, shape: spec.hfShape, values: spec.linear ? transposed(moments[key], stored0!, stored1!) : moments[key] });
    }
  }
  return out;
}

/** Sets the trainable weights from a checkpoint's tensors; any missing or misshapen one is an error. */
export function restoreTrainable(model: InstructBlip, weights: ReadonlyMap<string, TensorData>, origin: string): void {
  const read = checkpointSource(mapLookup(weights), origin);
  [...model.params.specs.values()].forEach((spec, index) => {
    if (!spec.trainable) return;
    const value = read(spec, index);
    model.params.get(spec.name).assign(value);
    value.dispose();
  });
}

/** Restores the optimizer's moments (HF layout in the file) and its update count. */
export function restoreMoments(model: InstructBlip, optimizer: AdamW, tensors: ReadonlyMap<string, TensorData>, updates: number, origin: string): void {
  const values = new Map<string, Moments>();
  for (const name of optimizer.moments.keys()) {
    const spec = model.params.specs.get(name)!;
    const read = (suffix: string): Float32Array => {
      const data = tensors.get(`${name}${suffix}`);
      if (data === undefined) throw new Error(`${origin}: optimizer state has no "${name}${suffix}"`);
      if (!tf.util.arraysEqual([...data.shape], spec.hfShape) || !(data.values instanceof Float32Array)) {
        throw new Error(`${origin}: "${name}${suffix}" has shape [${data.shape}] (${data.values.constructor.name}), the parameter is [${spec.hfShape}] float32`);
      }
      return spec.linear ? transposed(data.values, spec.hfShape[0]!, spec.hfShape[1]!) : data.values;
    };
    values.set(name, { m: read(MOMENT_SUFFIXES.m), v: read(MOMENT_SUFFIXES.v) });
  }
  optimizer.restore(updates, values);
}
