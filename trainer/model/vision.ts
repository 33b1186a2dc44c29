/**
 * The frozen vision encoder, with the structure and parameter names of HF's InstructBLIP / BLIP-2
 * vision model (EVA ViT): a patch-embedding convolution (stride = kernel = patch size), a class
 * token, learned position embeddings, pre-LN transformer blocks whose attention uses one fused `qkv`
 * Linear (output laid out as [3][heads][headDim]) and a `projection`, a GELU MLP, and the final
 * `post_layernorm` (LAVIS's `ln_vision`). Always run in eval mode: it is frozen, no dropout.
 */
import * as tf from '@tensorflow/tfjs';
import { attend, mergeHeads } from './attention.ts';
import type { VisionConfig } from './config.ts';
import { gelu, layerNorm, linear } from './layers.ts';
import { type ParamSet, type ParamSpec, INIT_STD, layerNormSpecs, linearSpecs, tableSpec } from './params.ts';

const PREFIX = 'vision_model';

export function patchGrid(cfg: VisionConfig): number {
  if (cfg.imageSize % cfg.patchSize !== 0) throw new Error(`vision_config: image_size ${cfg.imageSize} is not a multiple of patch_size ${cfg.patchSize}`);
  return cfg.imageSize / cfg.patchSize;
}

/** Tokens per image: one per patch plus the class token (257 for EVA ViT-g/14 at 224 px). */
export function visionTokens(cfg: VisionConfig): number {
  return patchGrid(cfg) ** 2 + 1;
}

export function visionSpecs(cfg: VisionConfig, trainable = false): ParamSpec[] {
  const d = cfg.hiddenSize;
  const p = cfg.patchSize;
  const specs: ParamSpec[] = [
    tableSpec(`${PREFIX}.embeddings.class_embedding`, [1, 1, d], trainable),
    // A convolution keeps HF's [out, in, kh, kw] layout; it runs once per image, as a matmul.
    { name: `${PREFIX}.embeddings.patch_embedding.weight`, hfShape: [d, 3, p, p], linear: false, init: { kind: 'normal', std: INIT_STD }, trainable },
    { name: `${PREFIX}.embeddings.patch_embedding.bias`, hfShape: [d], linear: false, init: { kind: 'zeros' }, trainable },
    tableSpec(`${PREFIX}.embeddings.position_embedding`, [1, visionTokens(cfg), d], trainable),
  ];
  for (let i = 0; i < cfg.numLayers; i++) {
    const layer = `${PREFIX}.encoder.layers.${i}`;
    specs.push(
      ...layerNormSpecs(`${layer}.layer_norm1`, d, trainable),
      ...linearSpecs(`${layer}.self_attn.qkv`, d, 3 * d, trainable, cfg.qkvBias),
      ...linearSpecs(`${layer}.self_attn.projection`, d, d, trainable),
      ...layerNormSpecs(`${layer}.layer_norm2`, d, trainable),
      ...linearSpecs(`${layer}.mlp.fc1`, d, cfg.intermediateSize, trainable),
      ...linearSpecs(`${layer}.mlp.fc2`, cfg.intermediateSize, d, trainable),
    );
  }
  specs.push(...layerNormSpecs(`${PREFIX}.post_layernorm`, d, trainable));
  return specs;
}

/** Conv2d(3, D, kernel = stride = patch) as a matmul: [B, 3, H, W] -> [B, patches, D], row-major patches. */
function embedPatches(params: ParamSet, cfg: VisionConfig, pixels: tf.Tensor4D): tf.Tensor3D {
  const [batch, channels, height, width] = pixels.shape;
  const p = cfg.patchSize;
  const grid = patchGrid(cfg);
  if (channels !== 3 || height !== cfg.imageSize || width !== cfg.imageSize) {
    throw new Error(`vision pixel_values: shape [${pixels.shape}] where the encoder expects [batch, 3, ${cfg.imageSize}, ${cfg.imageSize}]`);
  }
  // Each patch flattened in (channel, row, column) order, matching the kernel's [D, 3, p, p] layout.
  const patches = pixels.reshape([batch, 3, grid, p, grid, p]).transpose([0, 2, 4, 1, 3, 5]).reshape([batch * grid * grid, 3 * p * p]);
  const kernel = params.get(`${PREFIX}.embeddings.patch_embedding.weight`).reshape([cfg.hiddenSize, 3 * p * p]).transpose();
  const embedded = tf.matMul(patches, kernel).add(params.get(`${PREFIX}.embeddings.patch_embedding.bias`));
  return embedded.reshape([batch, grid * grid, cfg.hiddenSize]) as tf.Tensor3D;
}

function selfAttention(params: ParamSet, cfg: VisionConfig, prefix: string, x: tf.Tensor3D): tf.Tensor {
  const [batch, length, width] = x.shape;
  const heads = cfg.numHeads;
  const qkv = linear(params, `${prefix}.qkv`, x).reshape([batch, length, 3, heads, width / heads]).transpose([2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(qkv) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  return linear(params, `${prefix}.projection`, mergeHeads(attend(q, k, v, undefined)));
}

/**
 * The encoder's output before post_layernorm. LAVIS trains that LayerNorm (`ln_vision`) while the
 * rest stays frozen, so a trainer caches these and applies visionPostLayerNorm inside its tape.
 */
export function visionHidden(params: ParamSet, cfg: VisionConfig, pixels: tf.Tensor4D): tf.Tensor3D {
  const batch = pixels.shape[0];
  const patches = embedPatches(params, cfg, pixels);
  const cls = params.get(`${PREFIX}.embeddings.class_embedding`).tile([batch, 1, 1]);
  let x = tf.concat([cls, patches], 1).add(params.get(`${PREFIX}.embeddings.position_embedding`)) as tf.Tensor3D;
  for (let i = 0; i < cfg.numLayers; i++) {
    const layer = `${PREFIX}.encoder.layers.${i}`;
    x = x.add(selfAttention(params, cfg, `${layer}.self_attn`, layerNorm(params, `${layer}.layer_norm1`, x, cfg.layerNormEps) as tf.Tensor3D));
    const h = layerNorm(params, `${layer}.layer_norm2`, x, cfg.layerNormEps);
    x = x.add(linear(params, `${layer}.mlp.fc2`, gelu(linear(params, `${layer}.mlp.fc1`, h))));
  }
  return x;
}

export function visionPostLayerNorm(params: ParamSet, cfg: VisionConfig, hidden: tf.Tensor): tf.Tensor {
  return layerNorm(params, `${PREFIX}.post_layernorm`, hidden, cfg.layerNormEps);
}

/** Image features [B, tokens, hiddenSize] after post_layernorm, from normalized pixels [B, 3, H, W]. */
export function visionForward(params: ParamSet, cfg: VisionConfig, pixels: tf.Tensor4D): tf.Tensor3D {
  return visionPostLayerNorm(params, cfg, visionHidden(params, cfg, pixels)) as tf.Tensor3D;
}
