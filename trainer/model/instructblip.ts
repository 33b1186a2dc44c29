/**
 * InstructBLIP: frozen vision encoder -> instruction-aware Q-Former -> language_projection -> frozen
 * LLaMA, with HF `InstructBlipForConditionalGeneration` parameter names. As in LAVIS, the projected
 * query outputs are placed in front of the prompt's token embeddings, and the loss is causal-LM
 * cross-entropy on target tokens only (labels -100 on prompt, padding and query positions), averaged
 * over target tokens. Trainable: the Q-Former, its query tokens and the projection; nothing else.
 */
import * as tf from '@tensorflow/tfjs';
import type { InstructBlipConfig } from './config.ts';
import { meanCrossEntropy } from './cross-entropy.ts';
import { linear } from './layers.ts';
import { type Llama, type Window, embedTokens, lmHead, llamaForward, llamaSpecs } from './llama.ts';
import { type ParamSpec, ParamSet, type ValueSource, linearSpecs } from './params.ts';
import { qformerForward, qformerSpecs } from './qformer.ts';
import { visionForward, visionSpecs } from './vision.ts';

export const LM_PREFIX = 'language_model.';
export const IGNORE_INDEX = -100;

export interface InstructBlip {
  cfg: InstructBlipConfig;
  params: ParamSet;
  /** The frozen LM, a view on `params` under `language_model.`. */
  lm: Llama;
}

export function instructBlipSpecs(cfg: InstructBlipConfig): ParamSpec[] {
  if (cfg.qformer.encoderHiddenSize !== cfg.vision.hiddenSize) {
    throw new Error(`qformer encoder_hidden_size ${cfg.qformer.encoderHiddenSize} must equal the vision hidden_size ${cfg.vision.hiddenSize}`);
  }
  return [
    ...visionSpecs(cfg.vision, false),
    ...qformerSpecs(cfg.qformer, true),
    ...linearSpecs('language_projection', cfg.qformer.hiddenSize, cfg.lm.hiddenSize, true),
    ...llamaSpecs(cfg.lm, false, LM_PREFIX),
  ];
}

/** Allocates the model; `source` decides each parameter's value (random init, checkpoints, or both). */
export function createInstructBlip(cfg: InstructBlipConfig, source: ValueSource): InstructBlip {
  const params = new ParamSet(instructBlipSpecs(cfg), source);
  return { cfg, params, lm: { params, cfg: cfg.lm, prefix: LM_PREFIX } };
}

/**
 * Frozen image features from normalized pixels: [B, 3, H, W] -> [B, N, D], or a video's frames
 * [B, F, 3, H, W] -> [B, F, N, D]. Run it outside any gradient tape: nothing in it trains.
 */
export function encodeImages(model: InstructBlip, pixels: tf.Tensor): tf.Tensor {
  if (pixels.rank === 4) return visionForward(model.params, model.cfg.vision, pixels as tf.Tensor4D);
  if (pixels.rank !== 5) throw new Error(`pixel_values: shape [${pixels.shape}] is neither [B, 3, H, W] nor a video [B, frames, 3, H, W]`);
  const [batch, frames, ...image] = pixels.shape;
  const features = visionForward(model.params, model.cfg.vision, pixels.reshape([batch! * frames!, ...image]) as tf.Tensor4D);
  return features.reshape([batch!, frames!, ...features.shape.slice(1)]);
}

export interface SoftPromptInputs {
  /** [B, N, D] for images, [B, F, N, D] for videos (F frames). */
  imageFeatures: tf.Tensor;
  /** The instruction in BERT ids [B, L] and its mask; omit for a BLIP-2 style Q-Former. */
  qformerInputIds?: tf.Tensor2D;
  qformerAttentionMask?: tf.Tensor2D;
}

/**
 * The projected query outputs [B, F * numQueryTokens, lmHidden]. A video's frames go through the
 * Q-Former one by one, each with the whole instruction, and their outputs are concatenated in frame
 * order (LAVIS's 5-D path); the frames are folded into the batch to do it in one pass.
 */
export function softPrompt(model: InstructBlip, inputs: SoftPromptInputs, training = false): tf.Tensor3D {
  const { imageFeatures, qformerInputIds, qformerAttentionMask } = inputs;
  const isVideo = imageFeatures.rank === 4;
  const [batch] = imageFeatures.shape;
  const frames = isVideo ? imageFeatures.shape[1]! : 1;
  const perFrame = (t: tf.Tensor2D | undefined) => (t === undefined || frames === 1 ? t : (t.expandDims(1).tile([1, frames, 1]).reshape([batch! * frames, t.shape[1]]) as tf.Tensor2D));
  const queries = qformerForward(
    model.params,
    model.cfg.qformer,
    {
      imageEmbeds: (isVideo ? imageFeatures.reshape([batch! * frames, ...imageFeatures.shape.slice(2)]) : imageFeatures) as tf.Tensor3D,
      inputIds: perFrame(qformerInputIds),
      attentionMask: perFrame(qformerAttentionMask),
    },
    training,
  );
  const projected = linear(model.params, 'language_projection', queries);
  return projected.reshape([batch!, frames * model.cfg.qformer.numQueryTokens, model.cfg.lm.hiddenSize]) as tf.Tensor3D;
}

/** The LM's inputs: soft prompt then token embeddings, and the mask over both. */
export function lmInputs(model: InstructBlip, prompt: tf.Tensor3D, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): { inputsEmbeds: tf.Tensor3D; attentionMask: tf.Tensor2D } {
  const [batch, promptLength] = prompt.shape;
  if (inputIds.shape[0] !== batch || !tf.util.arraysEqual(attentionMask.shape, inputIds.shape)) {
    throw new Error(`LM input_ids [${inputIds.shape}] and attention_mask [${attentionMask.shape}] must both be [${batch}, length]`);
  }
  return {
    inputsEmbeds: tf.concat([prompt, embedTokens(model.lm, inputIds)], 1),
    attentionMask: tf.concat([tf.ones([batch, promptLength], 'int32'), attentionMask.toInt()], 1) as tf.Tensor2D,
  };
}

/**
 * Which hidden rows predict a target: label (b, t) is predicted by full-sequence position
 * promptLength + t - 1. Returns the flat row indices and the target ids, in the same order.
 */
export function targetRows(labels: tf.Tensor2D, promptLength: number, vocabSize: number): { rows: number[]; targets: number[] } {
  const [batch, length] = labels.shape;
  const values = labels.dataSync();
  const rows: number[] = [];
  const targets: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      const label = values[b * length + t]!;
      if (label === IGNORE_INDEX) continue;
      if (label < 0 || label >= vocabSize) throw new Error(`labels[${b}][${t}] = ${label} is neither ${IGNORE_INDEX} nor a token id below the LM vocabulary size ${vocabSize}`);
      if (promptLength + t === 0) throw new Error(`labels[${b}][0] is a target, but the first position has nothing before it to predict it from`);
      rows.push(b * (promptLength + length) + promptLength + t - 1);
      targets.push(label);
    }
  }
  if (rows.length === 0) throw new Error('labels: no target token in the batch (every label is -100)');
  return { rows, targets };
}

export interface InstructBlipBatch extends SoftPromptInputs {
  /** LM tokens [B, T]: prompt then target, right-padded. */
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  /** [B, T]: the target token ids where trained, -100 elsewhere (prompt, padding). */
  labels: tf.Tensor2D;
}

/**
 * The smallest window of positions [start, end) holding every predicting row (flat indices
 * b * length + position, as targetRows gives them), and those rows renumbered for the LM's windowed
 * output [B, end - start, hidden]: b * (end - start) + position - start.
 */
export function predictingWindow(rows: readonly number[], length: number): { window: Window; rows: number[] } {
  const positions = rows.map((row) => row % length);
  const start = Math.min(...positions);
  const width = Math.max(...positions) + 1 - start;
  return { window: [start, start + width], rows: rows.map((row, i) => Math.floor(row / length) * width + positions[i]! - start) };
}

/**
 * Mean cross-entropy over target tokens. Only the hidden rows that predict a target are used (the
 * logits of every other position would be masked out anyway), so the LM's last layer computes only
 * the window of positions holding them, and only those rows go through the LM head.
 */
export function instructBlipLoss(model: InstructBlip, batch: InstructBlipBatch, training = false): tf.Scalar {
  const prompt = softPrompt(model, batch, training);
  const inputs = lmInputs(model, prompt, batch.inputIds, batch.attentionMask);
  const { rows, targets } = targetRows(batch.labels, prompt.shape[1], model.cfg.lm.vocabSize);
  const predicting = predictingWindow(rows, inputs.inputsEmbeds.shape[1]);
  const { hidden } = llamaForward(model.lm, { ...inputs, window: predicting.window });
  const picked = tf.gather(hidden.reshape([-1, model.cfg.lm.hiddenSize]), tf.tensor1d(predicting.rows, 'int32'));
  return meanCrossEntropy(lmHead(model.lm, picked) as tf.Tensor2D, targets);
}
