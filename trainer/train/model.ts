/**
 * The model as the trainer builds it: InstructBLIP whose trainable set is LAVIS's (Q-Former, query
 * tokens, language projection, and `ln_vision` = vision_model.post_layernorm), with the frozen
 * vision encoder's output taken before that LayerNorm so it can be cached and the LayerNorm still
 * trained.
 */
import * as tf from '@tensorflow/tfjs';
import type { InstructBlipConfig } from '../model/config.ts';
import { type InstructBlip, type InstructBlipBatch, LM_PREFIX, instructBlipLoss, instructBlipSpecs } from '../model/instructblip.ts';
import { ParamSet, type ParamSpec, type ValueSource } from '../model/params.ts';
import { visionHidden, visionPostLayerNorm } from '../model/vision.ts';

export const VISION_LAYERNORM_PREFIX = 'vision_model.post_layernorm.';

/** The model's specs with LAVIS's trainable set. */
export function trainingSpecs(cfg: InstructBlipConfig): ParamSpec[] {
  return instructBlipSpecs(cfg).map((spec) => (spec.name.startsWith(VISION_LAYERNORM_PREFIX) ? { ...spec, trainable: true } : spec));
}

export function createTrainingModel(cfg: InstructBlipConfig, source: ValueSource): InstructBlip {
  const params = new ParamSet(trainingSpecs(cfg), source);
  return { cfg, params, lm: { params, cfg: cfg.lm, prefix: LM_PREFIX } };
}

/**
 * Frozen encoder output before ln_vision: pixels [B, 3, H, W] -> [B, N, D], or frames
 * [B, F, 3, H, W] -> [B, F, N, D]. Run outside any gradient tape.
 */
export function frozenImageHidden(model: InstructBlip, pixels: tf.Tensor): tf.Tensor {
  const images = pixels.rank === 5 ? pixels.reshape([-1, ...pixels.shape.slice(2)]) : pixels;
  const hidden = visionHidden(model.params, model.cfg.vision, images as tf.Tensor4D);
  return pixels.rank === 5 ? hidden.reshape([pixels.shape[0]!, pixels.shape[1]!, ...hidden.shape.slice(1)]) : hidden;
}

/** A batch with the frozen encoder's output (before ln_vision) in place of the image features. */
export type HiddenBatch = Omit<InstructBlipBatch, 'imageFeatures'> & { imageHidden: tf.Tensor };

/** Mean target-token cross-entropy; ln_vision is applied here, inside the tape, so it trains. */
export function trainingLoss(model: InstructBlip, batch: HiddenBatch, training: boolean): tf.Scalar {
  const { imageHidden, ...rest } = batch;
  const imageFeatures = visionPostLayerNorm(model.params, model.cfg.vision, imageHidden);
  return instructBlipLoss(model, { ...rest, imageFeatures }, training);
}
