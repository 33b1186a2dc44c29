/**
 * Stage 0's training: the small LLaMA learns, text only, to produce a held-in example's target after
 * its caption and instruction (loss on the target and EOS, as the Q-Former stage will train). It
 * uses the trainer's AdamW and schedule; everything in the LM is trainable here, and frozen after.
 */
import * as tf from '@tensorflow/tfjs';
import { rng } from '../../pipelines/util/random.ts';
import { IGNORE_INDEX, targetRows } from '../model/instructblip.ts';
import { type Llama, embedTokens, lmHead, llamaForward } from '../model/llama.ts';
import { AdamW, decays } from '../train/adamw.ts';
import { GradientSum, clipByGlobalNorm } from '../train/gradients.ts';
import { learningRate } from '../train/schedule.ts';
import type { GroundedDocument } from './grounding.ts';

export interface TextBatch {
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
  labels: tf.Tensor2D;
}

/** Context then [BOS] instruction target [EOS], right-padded; labels on the target and EOS only. */
export function textBatch(docs: readonly GroundedDocument[], padId: number): TextBatch {
  const sequences = docs.map((d) => [...d.contextIds, ...d.lmIds]);
  const length = Math.max(...sequences.map((s) => s.length));
  const ids = new Int32Array(docs.length * length).fill(padId);
  const mask = new Int32Array(docs.length * length);
  const labels = new Int32Array(docs.length * length).fill(IGNORE_INDEX);
  docs.forEach((d, b) => {
    const seq = sequences[b]!;
    ids.set(seq, b * length);
    mask.fill(1, b * length, b * length + seq.length);
    const start = d.contextIds.length + d.targetStart;
    labels.set(seq.slice(start), b * length + start);
  });
  const shape: [number, number] = [docs.length, length];
  return { ids: tf.tensor2d(ids, shape, 'int32'), mask: tf.tensor2d(mask, shape, 'int32'), labels: tf.tensor2d(labels, shape, 'int32') };
}

/** Mean cross-entropy over the labelled tokens. */
export function textLoss(lm: Llama, batch: TextBatch): tf.Scalar {
  const { hidden } = llamaForward(lm, { inputsEmbeds: embedTokens(lm, batch.ids), attentionMask: batch.mask });
  const vocab = lm.cfg.vocabSize;
  const { rows, targets } = targetRows(batch.labels, 0, vocab);
  const predicting = tf.gather(hidden.reshape([-1, lm.cfg.hiddenSize]), tf.tensor1d(rows, 'int32'));
  const logProbs = tf.logSoftmax(lmHead(lm, predicting));
  return tf.gather(logProbs.reshape([-1]), tf.tensor1d(targets.map((t, i) => i * vocab + t), 'int32')).mean().neg() as tf.Scalar;
}

export interface PretrainOptions {
  steps: number;
  batchSize: number;
  peakLr: number;
  warmupSteps: number;
  seed: number;
  /** Called every `every` steps with the mean loss since the last call. */
  onProgress?: (step: number, loss: number, lr: number) => void;
  every?: number;
}

/** Shuffled document order, epoch after epoch, a pure function of the seed. */
function* documentOrder(count: number, seed: number): Generator<number> {
  for (let epoch = 0; ; epoch++) {
    const next = rng(seed + epoch);
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    yield* order;
  }
}

/** Batches that pool documents a few batches at a time and group similar lengths, so little is padding. */
function* bucketedBatches(docs: readonly GroundedDocument[], batchSize: number, seed: number, poolBatches = 16): Generator<GroundedDocument[]> {
  const order = documentOrder(docs.length, seed);
  const length = (d: GroundedDocument) => d.contextIds.length + d.lmIds.length;
  for (let pool = 0; ; pool++) {
    const chosen = Array.from({ length: batchSize * poolBatches }, () => docs[order.next().value as number]!).sort((a, b) => length(a) - length(b));
    const batches = Array.from({ length: poolBatches }, (_, i) => chosen.slice(i * batchSize, (i + 1) * batchSize));
    const next = rng(seed ^ 0x5bd1e995 ^ pool);
    for (let i = batches.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [batches[i], batches[j]] = [batches[j]!, batches[i]!];
    }
    yield* batches;
  }
}

/** Trains every parameter of `lm`; returns the loss of each step. */
export function pretrainLm(lm: Llama, docs: readonly GroundedDocument[], options: PretrainOptions): number[] {
  const params = [...lm.params.specs.values()].map((spec) => ({ name: spec.name, variable: lm.params.get(spec.name), decay: decays(spec) }));
  const optimizer = new AdamW(params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 });
  const schedule = { peakLr: options.peakLr, warmupStartLr: 0, warmupSteps: options.warmupSteps, minLr: 0.1 * options.peakLr };
  const batches = bucketedBatches(docs, options.batchSize, options.seed);
  const losses: number[] = [];
  const every = options.every ?? 50;
  const gradients = new GradientSum();
  for (let step = 0; step < options.steps; step++) {
    const batch = textBatch(batches.next().value as GroundedDocument[], lm.cfg.padTokenId);
    const { value, grads } = tf.variableGrads(() => textLoss(lm, batch), params.map((p) => p.variable));
    tf.dispose([batch.ids, batch.mask, batch.labels]);
    gradients.begin();
    gradients.add(Object.fromEntries(params.filter((p) => grads[p.variable.name] !== undefined).map((p) => [p.name, grads[p.variable.name]!])), 1);
    tf.dispose(Object.values(grads));
    clipByGlobalNorm(gradients.total, 1);
    const lr = learningRate(schedule, step, options.steps);
    optimizer.apply(gradients.total, lr);
    losses.push(value.dataSync()[0]!);
    value.dispose();
    if ((step + 1) % every === 0 || step + 1 === options.steps) {
      const recent = losses.slice(-every);
      options.onProgress?.(step + 1, recent.reduce((a, b) => a + b, 0) / recent.length, lr);
    }
  }
  return losses;
}
