/**
 * Held-in exact match of a trained model on the val splits, with the training templates: greedy
 * generation after [soft prompt] [BOS] instruction, right when the tokens equal the target's or any
 * human answer's. The same model with every example shown another example's image ("shuffled") is
 * the no-image baseline: whatever it still gets right comes from the text alone.
 */
import * as tf from '@tensorflow/tfjs';
import { PixelPool, type StreamTokenizer } from '../../pipelines/stream/index.ts';
import { padSequences } from '../../pipelines/stream/collate.ts';
import { MediaSource } from '../../pipelines/stream/media-source.ts';
import { hashString, rng } from '../../pipelines/util/random.ts';
import { generate } from '../eval/generate.ts';
import type { InstructBlip } from '../model/instructblip.ts';
import { visionPostLayerNorm, visionTokens } from '../model/vision.ts';
import type { ImageFeatures } from '../train/image-features.ts';
import type { GroundedDocument } from './grounding.ts';
import { type Accuracy, addResult, isMatch } from './text-only-eval.ts';

export type ImageMode = 'real' | 'shuffled';

export interface HeldInEvalOptions {
  shardsDir: string;
  batchSize: number;
  maxNewTokens: number;
  lmTokenizer: StreamTokenizer;
  qformerPadId: number;
  features: ImageFeatures;
  pixelPool: PixelPool;
}

/** For each document, the image it is shown: its own, or (shuffled) another document's, never the same image. */
export function shownImages(docs: readonly GroundedDocument[], mode: ImageMode): string[] {
  const own = docs.map((d) => d.images[0]!);
  if (mode === 'real') return own;
  const next = rng(hashString('demo/shuffled-images'));
  return own.map((key) => {
    for (let tries = 0; tries < 100; tries++) {
      const other = own[Math.floor(next() * own.length)]!;
      if (other !== key) return other;
    }
    throw new Error('shuffled images: every evaluation example shows the same image');
  });
}

async function features(keys: readonly string[], options: HeldInEvalOptions, media: MediaSource, model: InstructBlip): Promise<tf.Tensor> {
  const size = model.cfg.vision.imageSize;
  const rows = await Promise.all(keys.map(async (key) => options.features.encode(key, await options.pixelPool.decode(await media.read(key), size))));
  const data = new Float32Array(rows.length * rows[0]!.length);
  rows.forEach((row, i) => data.set(row, i * row.length));
  return tf.tensor(data, [keys.length, visionTokens(model.cfg.vision), model.cfg.vision.hiddenSize]);
}

export async function heldInExactMatch(model: InstructBlip, docs: readonly GroundedDocument[], mode: ImageMode, options: HeldInEvalOptions): Promise<Map<string, Accuracy>> {
  const table = new Map<string, Accuracy>();
  const shown = shownImages(docs, mode);
  const media = await MediaSource.open(options.shardsDir);
  const instructionAware = model.cfg.qformer.instructionAware;
  try {
    for (let start = 0; start < docs.length; start += options.batchSize) {
      const chunk = docs.slice(start, start + options.batchSize);
      const hidden = await features(shown.slice(start, start + chunk.length), options, media, model);
      const qformer = padSequences(chunk.map((d) => d.qformerIds), options.qformerPadId);
      const tensors = instructionAware
        ? { qformerInputIds: tf.tensor2d(qformer.ids.data, qformer.ids.shape as [number, number], 'int32'), qformerAttentionMask: tf.tensor2d(qformer.attentionMask.data, qformer.attentionMask.shape as [number, number], 'int32') }
        : {};
      const imageFeatures = tf.tidy(() => visionPostLayerNorm(model.params, model.cfg.vision, hidden));
      try {
        const generated = generate(model, { imageFeatures, ...tensors, promptIds: chunk.map((d) => d.lmIds.slice(0, d.targetStart)) }, { maxNewTokens: options.maxNewTokens });
        chunk.forEach((d, i) => addResult(table, d.dataset, isMatch(generated[i]!.tokens, d.references, options.lmTokenizer)));
      } finally {
        tf.dispose([hidden, imageFeatures, ...Object.values(tensors)]);
      }
    }
  } finally {
    await media.close();
  }
  return table;
}
