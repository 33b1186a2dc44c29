/** A batch's image features and instructions as the model's soft-prompt inputs. */
import * as tf from '@tensorflow/tfjs';
import type { SoftPromptInputs } from '../model/instructblip.ts';
import type { PromptTokens } from './prompt-tokens.ts';

/**
 * Q-Former instruction ids right-padded with `padId` and masked; none at all for an
 * instruction-agnostic (BLIP-2 style) Q-Former. The caller disposes the tensors (disposeInputs).
 */
export function softPromptInputs(imageFeatures: tf.Tensor, prompts: readonly PromptTokens[], padId: number, instructionAware: boolean): SoftPromptInputs {
  if (!instructionAware) return { imageFeatures };
  const longest = Math.max(...prompts.map((p) => p.qformerIds.length));
  const ids = prompts.map((p) => [...p.qformerIds, ...Array<number>(longest - p.qformerIds.length).fill(padId)]);
  const mask = prompts.map((p) => Array.from({ length: longest }, (_, i) => (i < p.qformerIds.length ? 1 : 0)));
  return {
    imageFeatures,
    qformerInputIds: tf.tensor2d(ids, [prompts.length, longest], 'int32'),
    qformerAttentionMask: tf.tensor2d(mask, [prompts.length, longest], 'int32'),
  };
}

export function disposeInputs(inputs: SoftPromptInputs): void {
  tf.dispose([inputs.imageFeatures, inputs.qformerInputIds, inputs.qformerAttentionMask].filter((t): t is tf.Tensor => t !== undefined));
}
