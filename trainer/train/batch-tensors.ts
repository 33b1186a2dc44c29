/** A stream batch (host arrays) as the model's input tensors. */
import * as tf from '@tensorflow/tfjs';
import type { HostTensor, TrainingBatch as StreamBatch } from '../../pipelines/stream/index.ts';
import type { HiddenBatch } from './model.ts';

/** What the model needs of a stream batch (validation batches have no sampler state). */
export type ModelBatch = Omit<StreamBatch, 'state'>;

const int2d = (t: HostTensor<Int32Array>) => tf.tensor2d(t.data, t.shape as [number, number], 'int32');

/**
 * Tensors for the loss. `instructionAware` false leaves the Q-Former without instruction tokens
 * (BLIP-2). The caller disposes the result (disposeBatch).
 */
export function batchTensors(batch: ModelBatch, imageHidden: tf.Tensor, instructionAware: boolean): HiddenBatch {
  return {
    imageHidden,
    ...(instructionAware ? { qformerInputIds: int2d(batch.qformerInputIds), qformerAttentionMask: int2d(batch.qformerAttentionMask) } : {}),
    inputIds: int2d(batch.lmInputIds),
    attentionMask: int2d(batch.lmAttentionMask),
    labels: int2d(batch.lmLabels),
  };
}

export function disposeBatch(batch: HiddenBatch): void {
  for (const t of [batch.imageHidden, batch.qformerInputIds, batch.qformerAttentionMask, batch.inputIds, batch.attentionMask, batch.labels]) t?.dispose();
}
