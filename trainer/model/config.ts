/**
 * Model configurations, and their translation from HF `config.json` (InstructBlipConfig, its
 * vision/qformer/text sub-configs, LlamaConfig), so a real checkpoint folder describes itself.
 */

export interface VisionConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  imageSize: number;
  patchSize: number;
  layerNormEps: number;
  /** BLIP-2/EVA attention: one fused qkv Linear; with bias when true. */
  qkvBias: boolean;
}

export interface QFormerConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  numQueryTokens: number;
  /** Layer i cross-attends to the image iff i % crossAttentionFrequency === 0. */
  crossAttentionFrequency: number;
  /** Width of the image features (the vision encoder's hidden size). */
  encoderHiddenSize: number;
  layerNormEps: number;
  hiddenDropout: number;
  attentionDropout: number;
  /**
   * InstructBLIP: instruction tokens join the queries (word + position embeddings, text FFNs).
   * false is BLIP-2's Q-Former: queries only, and none of those parameters exist.
   */
  instructionAware: boolean;
  vocabSize: number;
  maxPositionEmbeddings: number;
}

export interface LlamaConfig {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  /** Grouped-query attention: numHeads must be a multiple of it. */
  numKeyValueHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** HF LlamaConfig.attention_bias: biases on q_proj, k_proj, v_proj and o_proj. */
  attentionBias: boolean;
  bosTokenId: number;
  eosTokenId: number;
  padTokenId: number;
}

export interface InstructBlipConfig {
  vision: VisionConfig;
  qformer: QFormerConfig;
  lm: LlamaConfig;
}

type Json = Record<string, unknown>;

function field<T>(json: Json, key: string, what: string, fallback?: T): T {
  const value = json[key];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${what}: config.json has no "${key}"`);
  }
  return value as T;
}

export function visionConfigFromHF(json: Json): VisionConfig {
  const what = 'vision_config';
  return {
    hiddenSize: field(json, 'hidden_size', what, 1408),
    numLayers: field(json, 'num_hidden_layers', what, 39),
    numHeads: field(json, 'num_attention_heads', what, 16),
    intermediateSize: field(json, 'intermediate_size', what, 6144),
    imageSize: field(json, 'image_size', what, 224),
    patchSize: field(json, 'patch_size', what, 14),
    layerNormEps: field(json, 'layer_norm_eps', what, 1e-6),
    qkvBias: field(json, 'qkv_bias', what, true),
  };
}

/** `encoderHiddenSize` comes from the vision config, as InstructBlipConfig overwrites it. */
export function qformerConfigFromHF(json: Json, numQueryTokens: number, encoderHiddenSize: number, instructionAware = true): QFormerConfig {
  const what = 'qformer_config';
  return {
    hiddenSize: field(json, 'hidden_size', what, 768),
    numLayers: field(json, 'num_hidden_layers', what, 12),
    numHeads: field(json, 'num_attention_heads', what, 12),
    intermediateSize: field(json, 'intermediate_size', what, 3072),
    numQueryTokens,
    crossAttentionFrequency: field(json, 'cross_attention_frequency', what, 2),
    encoderHiddenSize,
    layerNormEps: field(json, 'layer_norm_eps', what, 1e-12),
    hiddenDropout: field(json, 'hidden_dropout_prob', what, 0.1),
    attentionDropout: field(json, 'attention_probs_dropout_prob', what, 0.1),
    instructionAware,
    vocabSize: field(json, 'vocab_size', what, 30522),
    maxPositionEmbeddings: field(json, 'max_position_embeddings', what, 512),
  };
}

function tokenId(json: Json, key: string, fallback: number): number {
  const value = json[key];
  // Some configs list several EOS ids; generation stops at the first one listed.
  if (Array.isArray(value)) return value[0] as number;
  return typeof value === 'number' ? value : fallback;
}

export function llamaConfigFromHF(json: Json): LlamaConfig {
  const what = 'text_config';
  const modelType = json['model_type'];
  if (modelType !== undefined && modelType !== 'llama') {
    throw new Error(`${what}: model_type "${String(modelType)}" is not supported; the frozen LM must be a LLaMA decoder (model_type "llama")`);
  }
  const scaling = json['rope_scaling'] as Json | null | undefined;
  if (scaling !== undefined && scaling !== null && (scaling['rope_type'] ?? scaling['type']) !== 'default') {
    throw new Error(`${what}: rope_scaling ${JSON.stringify(scaling)} is not supported (only plain rotary positions)`);
  }
  if (json['mlp_bias'] === true) throw new Error(`${what}: mlp_bias is not supported`);
  const hiddenSize = field<number>(json, 'hidden_size', what);
  const numHeads = field<number>(json, 'num_attention_heads', what);
  const numKeyValueHeads = field<number>(json, 'num_key_value_heads', what, numHeads);
  if (numHeads % numKeyValueHeads !== 0) throw new Error(`${what}: num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKeyValueHeads}`);
  const eos = tokenId(json, 'eos_token_id', 2);
  return {
    vocabSize: field(json, 'vocab_size', what),
    hiddenSize,
    intermediateSize: field(json, 'intermediate_size', what),
    numLayers: field(json, 'num_hidden_layers', what),
    numHeads,
    numKeyValueHeads,
    headDim: field(json, 'head_dim', what, hiddenSize / numHeads),
    rmsNormEps: field(json, 'rms_norm_eps', what, 1e-6),
    ropeTheta: field(json, 'rope_theta', what, 10000),
    maxPositionEmbeddings: field(json, 'max_position_embeddings', what, 2048),
    tieWordEmbeddings: field(json, 'tie_word_embeddings', what, false),
    attentionBias: field(json, 'attention_bias', what, false),
    bosTokenId: tokenId(json, 'bos_token_id', 1),
    eosTokenId: eos,
    padTokenId: tokenId(json, 'pad_token_id', eos),
  };
}

/** From an InstructBLIP (or BLIP-2, `instructionAware` false) `config.json`. */
export function instructBlipConfigFromHF(json: Json, instructionAware = true): InstructBlipConfig {
  const vision = visionConfigFromHF(field<Json>(json, 'vision_config', 'InstructBlipConfig', {}));
  const numQueryTokens = field<number>(json, 'num_query_tokens', 'InstructBlipConfig', 32);
  return {
    vision,
    qformer: qformerConfigFromHF(field<Json>(json, 'qformer_config', 'InstructBlipConfig', {}), numQueryTokens, vision.hiddenSize, instructionAware),
    lm: llamaConfigFromHF(field<Json>(json, 'text_config', 'InstructBlipConfig')),
  };
}

/** HF LlamaConfig fields, for writing a checkpoint folder other tools can read. */
export function llamaConfigToHF(cfg: LlamaConfig): Json {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: cfg.vocabSize,
    hidden_size: cfg.hiddenSize,
    intermediate_size: cfg.intermediateSize,
    num_hidden_layers: cfg.numLayers,
    num_attention_heads: cfg.numHeads,
    num_key_value_heads: cfg.numKeyValueHeads,
    head_dim: cfg.headDim,
    hidden_act: 'silu',
    rms_norm_eps: cfg.rmsNormEps,
    rope_theta: cfg.ropeTheta,
    max_position_embeddings: cfg.maxPositionEmbeddings,
    tie_word_embeddings: cfg.tieWordEmbeddings,
    attention_bias: cfg.attentionBias,
    bos_token_id: cfg.bosTokenId,
    eos_token_id: cfg.eosTokenId,
    pad_token_id: cfg.padTokenId,
    torch_dtype: 'float32',
  };
}

/** HF InstructBlipConfig fields (with a LLaMA text config). */
export function instructBlipConfigToHF(cfg: InstructBlipConfig): Json {
  const { vision, qformer } = cfg;
  return {
    architectures: ['InstructBlipForConditionalGeneration'],
    model_type: 'instructblip',
    num_query_tokens: qformer.numQueryTokens,
    use_decoder_only_language_model: true,
    vision_config: {
      hidden_size: vision.hiddenSize,
      num_hidden_layers: vision.numLayers,
      num_attention_heads: vision.numHeads,
      intermediate_size: vision.intermediateSize,
      image_size: vision.imageSize,
      patch_size: vision.patchSize,
      layer_norm_eps: vision.layerNormEps,
      qkv_bias: vision.qkvBias,
      hidden_act: 'gelu',
    },
    qformer_config: {
      hidden_size: qformer.hiddenSize,
      num_hidden_layers: qformer.numLayers,
      num_attention_heads: qformer.numHeads,
      intermediate_size: qformer.intermediateSize,
      cross_attention_frequency: qformer.crossAttentionFrequency,
      encoder_hidden_size: qformer.encoderHiddenSize,
      layer_norm_eps: qformer.layerNormEps,
      hidden_dropout_prob: qformer.hiddenDropout,
      attention_probs_dropout_prob: qformer.attentionDropout,
      vocab_size: qformer.vocabSize,
      max_position_embeddings: qformer.maxPositionEmbeddings,
      hidden_act: 'gelu',
    },
    text_config: llamaConfigToHF(cfg.lm),
  };
}
