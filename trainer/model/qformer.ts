/**
 * The instruction-aware Q-Former, with the semantics and parameter names of HF
 * `InstructBlipQFormerModel` (and of BLIP-2's `Blip2QFormerModel` when `instructionAware` is false).
 *
 * Learned queries are prepended to the instruction's word + position embeddings (queries get no
 * position embedding), then LayerNorm and dropout. Each BERT post-LN layer runs bidirectional
 * self-attention over [queries; instruction] with the padding mask; only the query positions
 * cross-attend to the image, and only in layers i % crossAttentionFrequency == 0; queries and
 * instruction tokens have separate feed-forward blocks. The output is the query positions only, so
 * the last layer computes nothing else (the instruction still gives it keys and values).
 */
import * as tf from '@tensorflow/tfjs';
import { attend, keyPaddingMask, mergeHeads, splitHeads } from './attention.ts';
import type { QFormerConfig } from './config.ts';
import { dropout, gelu, layerNorm, linear, linears } from './layers.ts';
import { type ParamSet, type ParamSpec, layerNormSpecs, linearSpecs, tableSpec } from './params.ts';

/** BLIP-2 has no embeddings module: its LayerNorm over the queries sits at `qformer.layernorm`. */
function embeddingLayerNormName(cfg: QFormerConfig): string {
  return cfg.instructionAware ? 'qformer.embeddings.layernorm' : 'qformer.layernorm';
}

function hasCrossAttention(cfg: QFormerConfig, layer: number): boolean {
  return layer % cfg.crossAttentionFrequency === 0;
}

export function qformerSpecs(cfg: QFormerConfig, trainable = true): ParamSpec[] {
  const h = cfg.hiddenSize;
  const specs: ParamSpec[] = [tableSpec('query_tokens', [1, cfg.numQueryTokens, h], trainable)];
  if (cfg.instructionAware) {
    specs.push(tableSpec('qformer.embeddings.word_embeddings.weight', [cfg.vocabSize, h], trainable));
    specs.push(tableSpec('qformer.embeddings.position_embeddings.weight', [cfg.maxPositionEmbeddings, h], trainable));
  }
  specs.push(...layerNormSpecs(embeddingLayerNormName(cfg), h, trainable));
  const attentionBlock = (prefix: string, contextWidth: number) => [
    ...linearSpecs(`${prefix}.attention.query`, h, h, trainable),
    ...linearSpecs(`${prefix}.attention.key`, contextWidth, h, trainable),
    ...linearSpecs(`${prefix}.attention.value`, contextWidth, h, trainable),
    ...linearSpecs(`${prefix}.output.dense`, h, h, trainable),
    ...layerNormSpecs(`${prefix}.output.LayerNorm`, h, trainable),
  ];
  const feedForward = (intermediate: string, output: string) => [
    ...linearSpecs(`${intermediate}.dense`, h, cfg.intermediateSize, trainable),
    ...linearSpecs(`${output}.dense`, cfg.intermediateSize, h, trainable),
    ...layerNormSpecs(`${output}.LayerNorm`, h, trainable),
  ];
  for (let i = 0; i < cfg.numLayers; i++) {
    const prefix = `qformer.encoder.layer.${i}`;
    specs.push(...attentionBlock(`${prefix}.attention`, h));
    if (hasCrossAttention(cfg, i)) specs.push(...attentionBlock(`${prefix}.crossattention`, cfg.encoderHiddenSize));
    if (cfg.instructionAware) specs.push(...feedForward(`${prefix}.intermediate`, `${prefix}.output`));
    specs.push(...feedForward(`${prefix}.intermediate_query`, `${prefix}.output_query`));
  }
  return specs;
}

/**
 * Multi-head attention + dense + dropout + residual LayerNorm (BERT's BertAttention). `hidden` asks;
 * keys and values come from `context`: the image in cross-attention, all positions in self-attention,
 * where `hidden` is all of them or (last layer) only the leading query rows. `allRows` is how many rows
 * the full pass asks with, so dropout draws the masks the full pass would.
 */
function attentionBlock(params: ParamSet, cfg: QFormerConfig, prefix: string, hidden: tf.Tensor, context: tf.Tensor, mask: tf.Tensor | undefined, training: boolean, allRows = hidden.shape[1]!): tf.Tensor {
  const names = (...which: string[]) => which.map((w) => `${prefix}.attention.${w}`);
  const [query, key, value] =
    hidden === context
      ? linears(params, names('query', 'key', 'value'), hidden)
      : [linear(params, names('query')[0]!, hidden), ...linears(params, names('key', 'value'), context)];
  const [q, k, v] = [query!, key!, value!].map((t) => splitHeads(t, cfg.numHeads));
  const attended = mergeHeads(attend(q!, k!, v!, mask, cfg.attentionDropout, training, allRows));
  const projected = dropout(linear(params, `${prefix}.output.dense`, attended), cfg.hiddenDropout, training, { axis: 1, rows: allRows });
  return layerNorm(params, `${prefix}.output.LayerNorm`, projected.add(hidden), cfg.layerNormEps);
}

/** Intermediate (GELU) + output dense + dropout + residual LayerNorm. */
function feedForward(params: ParamSet, cfg: QFormerConfig, intermediate: string, output: string, x: tf.Tensor, training: boolean): tf.Tensor {
  const h = gelu(linear(params, `${intermediate}.dense`, x));
  const projected = dropout(linear(params, `${output}.dense`, h), cfg.hiddenDropout, training);
  return layerNorm(params, `${output}.LayerNorm`, projected.add(x), cfg.layerNormEps);
}

export interface QFormerInputs {
  /** Frozen image features [B, N, encoderHiddenSize]. */
  imageEmbeds: tf.Tensor3D;
  /** Instruction tokens [B, L] (BERT ids) and their mask; omitted for a queries-only pass. */
  inputIds?: tf.Tensor2D;
  attentionMask?: tf.Tensor2D;
}

function embed(params: ParamSet, cfg: QFormerConfig, batch: number, inputs: QFormerInputs): { x: tf.Tensor; keep: tf.Tensor2D } {
  const queries = params.get('query_tokens').tile([batch, 1, 1]);
  const nq = cfg.numQueryTokens;
  const { inputIds, attentionMask } = inputs;
  if (inputIds === undefined) return { x: queries, keep: tf.ones([batch, nq]) };
  if (!cfg.instructionAware) throw new Error('this Q-Former is BLIP-2 style (no word embeddings): it takes no instruction tokens');
  const length = inputIds.shape[1];
  if (length > cfg.maxPositionEmbeddings) throw new Error(`qformer input_ids: ${length} tokens exceed max_position_embeddings ${cfg.maxPositionEmbeddings}`);
  if (attentionMask === undefined || !tf.util.arraysEqual(attentionMask.shape, inputIds.shape)) {
    throw new Error(`qformer attention_mask: shape [${attentionMask?.shape ?? 'missing'}] must equal input_ids shape [${inputIds.shape}]`);
  }
  const words = tf.gather(params.get('qformer.embeddings.word_embeddings.weight'), inputIds);
  const positions = params.get('qformer.embeddings.position_embeddings.weight').slice([0, 0], [length, cfg.hiddenSize]);
  return {
    x: tf.concat([queries, words.add(positions)], 1),
    keep: tf.concat([tf.ones([batch, nq]), attentionMask.toFloat()], 1) as tf.Tensor2D,
  };
}

/** Returns the last hidden state at the query positions: [B, numQueryTokens, hiddenSize]. */
export function qformerForward(params: ParamSet, cfg: QFormerConfig, inputs: QFormerInputs, training = false): tf.Tensor3D {
  const [batch, , width] = inputs.imageEmbeds.shape;
  if (width !== cfg.encoderHiddenSize) throw new Error(`qformer image_embeds: shape [${inputs.imageEmbeds.shape}] has width ${width}, the cross-attention expects ${cfg.encoderHiddenSize}`);
  const nq = cfg.numQueryTokens;
  const embedded = embed(params, cfg, batch, inputs);
  let x = dropout(layerNorm(params, embeddingLayerNormName(cfg), embedded.x, cfg.layerNormEps), cfg.hiddenDropout, training);
  const mask = keyPaddingMask(embedded.keep);
  const queryRows = (t: tf.Tensor) => (t.shape[1] === nq ? t : t.slice([0, 0, 0], [-1, nq, -1]));
  for (let i = 0; i < cfg.numLayers; i++) {
    const prefix = `qformer.encoder.layer.${i}`;
    // The output is the query positions only: in the last layer the instruction positions still give
    // keys and values, but nothing they would compute (attention rows, dense, FFN) reaches the output.
    // The padding mask is over keys only ([B, 1, 1, T]), so it serves either set of query rows.
    const asking = i === cfg.numLayers - 1 ? queryRows(x) : x;
    const attended = attentionBlock(params, cfg, `${prefix}.attention`, asking, x, mask, training, x.shape[1]);
    let queryPart = queryRows(attended);
    if (hasCrossAttention(cfg, i)) queryPart = attentionBlock(params, cfg, `${prefix}.crossattention`, queryPart, inputs.imageEmbeds, undefined, training);
    x = feedForward(params, cfg, `${prefix}.intermediate_query`, `${prefix}.output_query`, queryPart, training);
    if (attended.shape[1]! > nq) {
      const text = feedForward(params, cfg, `${prefix}.intermediate`, `${prefix}.output`, attended.slice([0, nq, 0], [-1, -1, -1]), training);
      x = tf.concat([x, text], 1);
    }
  }
  return x as tf.Tensor3D;
}
