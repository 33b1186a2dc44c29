/**
 * The frozen language model: a LLaMA decoder with HF `LlamaForCausalLM` parameter names (RMSNorm,
 * rotary positions, SwiGLU MLP, grouped-query attention, optional tied head), and a key/value cache
 * for generation. Positions count attended tokens only (cumsum of the mask - 1, HF generate's rule),
 * so left-padded batches and the soft prompt in front of the text both get the right rotations.
 */
import * as tf from '@tensorflow/tfjs';
import { MASKED_SCORE, attend, mergeHeads, splitHeads } from './attention.ts';
import type { LlamaConfig } from './config.ts';
import { linear, linears, rmsNorm, silu } from './layers.ts';
import { type ParamSet, type ParamSpec, INIT_STD, linearSpecs, tableSpec } from './params.ts';

/** A LLaMA inside a ParamSet: its names start with `prefix` (`language_model.` in InstructBLIP). */
export interface Llama {
  params: ParamSet;
  cfg: LlamaConfig;
  prefix: string;
}

export function llamaSpecs(cfg: LlamaConfig, trainable = false, prefix = ''): ParamSpec[] {
  const h = cfg.hiddenSize;
  const attentionWidth = cfg.numHeads * cfg.headDim;
  const kvWidth = cfg.numKeyValueHeads * cfg.headDim;
  const norm = (name: string): ParamSpec => ({ name, hfShape: [h], linear: false, init: { kind: 'ones' }, trainable });
  const specs: ParamSpec[] = [tableSpec(`${prefix}model.embed_tokens.weight`, [cfg.vocabSize, h], trainable)];
  for (let i = 0; i < cfg.numLayers; i++) {
    const layer = `${prefix}model.layers.${i}`;
    specs.push(
      norm(`${layer}.input_layernorm.weight`),
      ...linearSpecs(`${layer}.self_attn.q_proj`, h, attentionWidth, trainable, cfg.attentionBias),
      ...linearSpecs(`${layer}.self_attn.k_proj`, h, kvWidth, trainable, cfg.attentionBias),
      ...linearSpecs(`${layer}.self_attn.v_proj`, h, kvWidth, trainable, cfg.attentionBias),
      ...linearSpecs(`${layer}.self_attn.o_proj`, attentionWidth, h, trainable, cfg.attentionBias),
      norm(`${layer}.post_attention_layernorm.weight`),
      ...linearSpecs(`${layer}.mlp.gate_proj`, h, cfg.intermediateSize, trainable, false),
      ...linearSpecs(`${layer}.mlp.up_proj`, h, cfg.intermediateSize, trainable, false),
      ...linearSpecs(`${layer}.mlp.down_proj`, cfg.intermediateSize, h, trainable, false),
    );
  }
  specs.push(norm(`${prefix}model.norm.weight`));
  if (!cfg.tieWordEmbeddings) specs.push({ name: `${prefix}lm_head.weight`, hfShape: [cfg.vocabSize, h], linear: true, init: { kind: 'normal', std: INIT_STD }, trainable });
  return specs;
}

/** Per layer: keys (after rotation) and values, [B, numKeyValueHeads, past, headDim]. */
export interface KVCache {
  keys: tf.Tensor4D[];
  values: tf.Tensor4D[];
}

export function cacheLength(cache: KVCache | undefined): number {
  return cache === undefined || cache.keys.length === 0 ? 0 : cache.keys[0]!.shape[2];
}

export function embedTokens(lm: Llama, ids: tf.Tensor2D): tf.Tensor3D {
  return tf.gather(lm.params.get(`${lm.prefix}model.embed_tokens.weight`), ids) as tf.Tensor3D;
}

/**
 * x [N, hidden] @ the head kept as [hidden, vocab] (the frozen embedding table transposed once), with
 * the gradient for x taken through the table itself: TF.js's own would transpose the kept head back
 * every step, and XNNPACK would repack that fresh [vocab, hidden] copy every step (~45 ms of a
 * demo-size step).
 */
function frozenTiedLogits(lm: Llama, table: string, x: tf.Tensor2D): tf.Tensor {
  const head = lm.params.derived([table], 'transposed', ([t]) => t!.transpose()) as tf.Tensor2D;
  const embeddings = lm.params.get(table) as tf.Tensor2D;
  const logits = tf.customGrad(((input: tf.Tensor2D) => ({
    value: tf.matMul(input, head),
    gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, embeddings),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return logits(x) as tf.Tensor;
}

/**
 * Logits [..., vocab] from final hidden states [..., hidden]. The head is multiplied as [hidden, vocab],
 * so the matmul needs no transposed operand: an untied head is stored so; a tied one is the embedding
 * table transposed, per call while the table trains (the demo's stage-0 pretraining), kept once frozen.
 */
export function lmHead(lm: Llama, hidden: tf.Tensor): tf.Tensor {
  const { cfg, params, prefix } = lm;
  const x = hidden.reshape([-1, cfg.hiddenSize]) as tf.Tensor2D;
  const table = `${prefix}model.embed_tokens.weight`;
  let flat: tf.Tensor;
  if (!cfg.tieWordEmbeddings) flat = tf.matMul(x, params.get(`${prefix}lm_head.weight`));
  else if (params.get(table).trainable) flat = tf.matMul(x, params.get(table).transpose());
  else flat = frozenTiedLogits(lm, table, x);
  return flat.reshape([...hidden.shape.slice(0, -1), cfg.vocabSize]);
}

/** Position of each token = attended tokens before it (cumsum of the mask - 1), 0 for padding. */
export function positionIdsFromMask(mask: tf.Tensor2D): tf.Tensor2D {
  return tf.cumsum(mask.toInt(), 1).sub(1).maximum(0) as tf.Tensor2D;
}

function inverseFrequencies(cfg: LlamaConfig): tf.Tensor1D {
  const d = cfg.headDim;
  return tf.tensor1d(Array.from({ length: d / 2 }, (_, i) => 1 / cfg.ropeTheta ** ((2 * i) / d)));
}

/**
 * rotate_half as a matrix: x @ R = [-x2, x1] over the halves of headDim. One XNNPACK matmul on wasm,
 * where split, neg and concat are three JS copies; exact, since each output is one input times ±1.
 */
function rotateHalfMatrix(headDim: number): tf.Tensor2D {
  const half = headDim / 2;
  const values = new Float32Array(headDim * headDim);
  for (let j = 0; j < half; j++) {
    values[(j + half) * headDim + j] = -1;
    values[j * headDim + j + half] = 1;
  }
  return tf.tensor2d(values, [headDim, headDim]);
}

interface Rotation {
  cos: tf.Tensor;
  sin: tf.Tensor;
  halfTurn: tf.Tensor2D;
}

/** cos and sin of the rotation angles, [B, 1, T, headDim] (the half-angles repeated, HF layout). */
function rotaryAngles(cfg: LlamaConfig, positionIds: tf.Tensor2D): Rotation {
  const [batch, length] = positionIds.shape;
  const freqs = positionIds.toFloat().reshape([batch, length, 1]).mul(inverseFrequencies(cfg).reshape([1, 1, -1]));
  const angles = tf.concat([freqs, freqs], -1).reshape([batch, 1, length, cfg.headDim]);
  return { cos: tf.cos(angles), sin: tf.sin(angles), halfTurn: rotateHalfMatrix(cfg.headDim) };
}

/** x * cos + rotate_half(x) * sin. */
function rotate(x: tf.Tensor4D, rotation: Rotation): tf.Tensor4D {
  const rotated = tf.matMul(x.reshape([-1, x.shape[3]]), rotation.halfTurn).reshape(x.shape);
  return x.mul(rotation.cos).add(rotated.mul(rotation.sin)) as tf.Tensor4D;
}

/** Grouped-query attention: each key/value head serves numHeads / numKeyValueHeads query heads. */
function repeatKeyValueHeads(x: tf.Tensor4D, repeats: number): tf.Tensor4D {
  if (repeats === 1) return x;
  const [batch, heads, length, d] = x.shape;
  // Rank 4, not 5: TF.js has no tile gradient beyond rank 4.
  return x.reshape([batch, heads, 1, length * d]).tile([1, 1, repeats, 1]).reshape([batch, heads * repeats, length, d]) as tf.Tensor4D;
}

/**
 * Additive mask [B, 1, T, past + T]: a key is visible if it is not padding and not in the future.
 * A padding query sees no key, so its row is uniform over all of them (as in HF's eager attention);
 * its output is never used.
 */
function causalPaddingMask(keyMask: tf.Tensor2D, length: number): tf.Tensor {
  const [batch, total] = keyMask.shape;
  const past = total - length;
  const causal = tf.buffer([length, total], 'float32');
  for (let i = 0; i < length; i++) for (let j = 0; j <= past + i; j++) causal.set(1, i, j);
  const visible = causal.toTensor().reshape([1, 1, length, total]).mul(keyMask.toFloat().reshape([batch, 1, 1, total]));
  return tf.scalar(1).sub(visible).mul(MASKED_SCORE);
}

/** Positions [start, end) of the new tokens. */
export type Window = readonly [start: number, end: number];

export interface LlamaInputs {
  inputsEmbeds: tf.Tensor3D;
  /** Mask over the cached and the new positions, [B, past + T]; 1 = real token, 0 = padding. */
  attentionMask: tf.Tensor2D;
  cache?: KVCache;
  /**
   * Final hidden states wanted for these new positions only (the training loss reads only the rows
   * that predict a target): the last layer then asks with them alone. The cache is complete either way.
   */
  window?: Window;
}

/** Entries [start, end) along `axis`. */
function sliceAxis<T extends tf.Tensor>(t: T, axis: number, [start, end]: Window): T {
  const begin = t.shape.map(() => 0);
  const size = t.shape.slice();
  begin[axis] = start;
  size[axis] = end - start;
  return t.slice(begin, size);
}

/**
 * One decoder layer. Keys and values come from every new position (after the cached ones); queries,
 * attention, o_proj and the MLP only from the window's positions when one is given, so the returned
 * residual stream is [B, end - start, hidden] then.
 */
function decoderLayer(lm: Llama, i: number, x: tf.Tensor, rotation: Rotation, mask: tf.Tensor, cache: KVCache | undefined, window?: Window) {
  const { params, cfg, prefix } = lm;
  const layer = `${prefix}model.layers.${i}`;
  const asking = <T extends tf.Tensor>(t: T, axis: number): T => (window === undefined ? t : sliceAxis(t, axis, window));
  const h = rmsNorm(params, `${layer}.input_layernorm.weight`, x, cfg.rmsNormEps);
  const [key, value] = linears(params, [`${layer}.self_attn.k_proj`, `${layer}.self_attn.v_proj`], h);
  let k = rotate(splitHeads(key!, cfg.numKeyValueHeads), rotation);
  let v = splitHeads(value!, cfg.numKeyValueHeads);
  if (cache !== undefined && cacheLength(cache) > 0) {
    k = tf.concat([cache.keys[i]!, k], 2);
    v = tf.concat([cache.values[i]!, v], 2);
  }
  const queryRotation = { cos: asking(rotation.cos, 2), sin: asking(rotation.sin, 2), halfTurn: rotation.halfTurn };
  const q = rotate(splitHeads(linear(params, `${layer}.self_attn.q_proj`, asking(h, 1)), cfg.numHeads), queryRotation);
  const repeats = cfg.numHeads / cfg.numKeyValueHeads;
  const attended = attend(q, repeatKeyValueHeads(k, repeats), repeatKeyValueHeads(v, repeats), asking(mask, 2));
  const y = asking(x, 1).add(linear(params, `${layer}.self_attn.o_proj`, mergeHeads(attended)));
  const g = rmsNorm(params, `${layer}.post_attention_layernorm.weight`, y, cfg.rmsNormEps);
  const [gate, up] = linears(params, [`${layer}.mlp.gate_proj`, `${layer}.mlp.up_proj`], g);
  return { x: y.add(linear(params, `${layer}.mlp.down_proj`, silu(gate!).mul(up!))), key: k, value: v };
}

/**
 * Final-norm hidden states [B, T, hidden] for the new positions (or [B, end - start, hidden] for a
 * window), and the extended cache.
 */
export function llamaForward(lm: Llama, inputs: LlamaInputs): { hidden: tf.Tensor3D; cache: KVCache } {
  const { params, cfg, prefix } = lm;
  const { inputsEmbeds, attentionMask, cache, window } = inputs;
  const [batch, length, width] = inputsEmbeds.shape;
  const past = cacheLength(cache);
  if (width !== cfg.hiddenSize) throw new Error(`LM inputs_embeds: shape [${inputsEmbeds.shape}] has width ${width}, the LM's hidden size is ${cfg.hiddenSize}`);
  if (attentionMask.shape[0] !== batch || attentionMask.shape[1] !== past + length) {
    throw new Error(`LM attention_mask: shape [${attentionMask.shape}] where [${batch}, ${past + length}] (cached ${past} + new ${length}) is needed`);
  }
  if (window !== undefined && !(Number.isInteger(window[0]) && Number.isInteger(window[1]) && window[0] >= 0 && window[0] < window[1] && window[1] <= length)) {
    throw new Error(`LM window: [${window[0]}, ${window[1]}) is not a non-empty range of the ${length} new positions`);
  }
  const positions = positionIdsFromMask(attentionMask).slice([0, past], [batch, length]);
  const rotation = rotaryAngles(cfg, positions);
  const mask = causalPaddingMask(attentionMask, length);
  const next: KVCache = { keys: [], values: [] };
  let x: tf.Tensor = inputsEmbeds;
  for (let i = 0; i < cfg.numLayers; i++) {
    // Only the last layer can narrow: each earlier one gives the next its keys and values everywhere.
    const out = decoderLayer(lm, i, x, rotation, mask, cache, i === cfg.numLayers - 1 ? window : undefined);
    next.keys.push(out.key);
    next.values.push(out.value);
    x = out.x;
  }
  return { hidden: rmsNorm(params, `${prefix}model.norm.weight`, x, cfg.rmsNormEps) as tf.Tensor3D, cache: next };
}
