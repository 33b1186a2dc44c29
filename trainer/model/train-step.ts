/**
 * One training step: frozen image features first (outside the gradient tape, so none of the vision
 * encoder's activations are kept), then the loss and its gradients with respect to the trainable
 * variables only, then the optimizer's update. The frozen LM's weights never get a gradient
 * computed: TF.js differentiates only along paths to the listed variables.
 */
import * as tf from '@tensorflow/tfjs';
import { type InstructBlip, type InstructBlipBatch, encodeImages, instructBlipLoss } from './instructblip.ts';

/** A batch as the loader gives it: pixels (or cached features) and the token tensors. */
export type TrainingBatch = Omit<InstructBlipBatch, 'imageFeatures'> & ({ pixelValues: tf.Tensor; imageFeatures?: undefined } | { imageFeatures: tf.Tensor; pixelValues?: undefined });

/** Runs one step and returns the loss before the update. */
export function trainStep(model: InstructBlip, optimizer: tf.Optimizer, batch: TrainingBatch): number {
  const imageFeatures = batch.pixelValues === undefined ? batch.imageFeatures : tf.tidy(() => encodeImages(model, batch.pixelValues!));
  try {
    const loss = tf.tidy(() => optimizer.minimize(() => instructBlipLoss(model, { ...batch, imageFeatures }, true), true, model.params.trainable())!);
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  } finally {
    if (imageFeatures !== batch.imageFeatures) imageFeatures.dispose();
  }
}
