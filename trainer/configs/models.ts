/**
 * Model presets: the paper's real sizes (InstructBLIP with EVA ViT-g/14, a BERT-base Q-Former and
 * Vicuna-7B) and the small demo (research/toy-learnability.md §5).
 */
import type { InstructBlipConfig, LlamaConfig, QFormerConfig, VisionConfig } from '../model/config.ts';

/** EVA ViT-g/14 as InstructBLIP uses it (HF InstructBlipVisionConfig defaults): about 1B parameters. */
export const EVA_VIT_G: VisionConfig = {
  hiddenSize: 1408,
  numLayers: 39,
  numHeads: 16,
  intermediateSize: 6144,
  imageSize: 224,
  patchSize: 14,
  layerNormEps: 1e-6,
  qkvBias: true,
};

/** BERT-base Q-Former with cross-attention every 2 layers; vocab 30523 = bert-base-uncased + [DEC]. */
export const QFORMER_BASE: QFormerConfig = {
  hiddenSize: 768,
  numLayers: 12,
  numHeads: 12,
  intermediateSize: 3072,
  numQueryTokens: 32,
  crossAttentionFrequency: 2,
  encoderHiddenSize: EVA_VIT_G.hiddenSize,
  layerNormEps: 1e-12,
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  instructionAware: true,
  vocabSize: 30523,
  maxPositionEmbeddings: 512,
};

/** Vicuna-7B v1.1 with LAVIS's token conventions (vocab 32001 with [PAD] = 32000; bos = eos = </s> = 2). */
export const VICUNA_7B: LlamaConfig = {
  vocabSize: 32001,
  hiddenSize: 4096,
  intermediateSize: 11008,
  numLayers: 32,
  numHeads: 32,
  numKeyValueHeads: 32,
  headDim: 128,
  rmsNormEps: 1e-6,
  ropeTheta: 10000,
  maxPositionEmbeddings: 2048,
  tieWordEmbeddings: false,
  attentionBias: false,
  bosTokenId: 2,
  eosTokenId: 2,
  padTokenId: 32000,
};

export const INSTRUCTBLIP_VICUNA_7B: InstructBlipConfig = { vision: EVA_VIT_G, qformer: QFORMER_BASE, lm: VICUNA_7B };

/**
 * The demo's random-init frozen patch encoder. The loader feeds 224x224 images (CLIP mean/std); the
 * sample scenes are 112x112 with 16-px cells, so at 224 px each cell is 32 px. Patch 32 puts every
 * shape on exactly one patch of a 7x7 grid (50 tokens with the class token), the layout that let a
 * random frozen encoder work in toy-learnability §3.5.
 */
export const DEMO_VISION: VisionConfig = {
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 256,
  imageSize: 224,
  patchSize: 32,
  layerNormEps: 1e-6,
  qkvBias: true,
};

/**
 * The demo Q-Former (toy-learnability §5: width 64, 2 layers, 8 queries). Instruction tokens are BERT
 * WordPiece ids (vocab 30522, no [DEC]); cross-attention in every layer, since with two layers the
 * paper's frequency of 2 would leave one.
 */
export const DEMO_QFORMER: QFormerConfig = {
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 2,
  intermediateSize: 256,
  numQueryTokens: 8,
  crossAttentionFrequency: 1,
  encoderHiddenSize: DEMO_VISION.hiddenSize,
  layerNormEps: 1e-12,
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  instructionAware: true,
  vocabSize: 30522,
  maxPositionEmbeddings: 512,
};

/** The token ids a demo LM needs from its tokenizer. */
export interface LmVocabulary {
  vocabSize: number;
  bosTokenId: number;
  eosTokenId: number;
  padTokenId: number;
}

/** The demo's frozen LM (toy-learnability §5: 2 layers, width 128, tied embeddings) over `vocab`. */
export function demoLm(vocab: LmVocabulary): LlamaConfig {
  return {
    ...vocab,
    hiddenSize: 128,
    intermediateSize: 384,
    numLayers: 2,
    numHeads: 2,
    numKeyValueHeads: 2,
    headDim: 64,
    rmsNormEps: 1e-6,
    ropeTheta: 10000,
    maxPositionEmbeddings: 512,
    tieWordEmbeddings: true,
    attentionBias: false,
  };
}

export function demoModel(vocab: LmVocabulary): InstructBlipConfig {
  return { vision: DEMO_VISION, qformer: DEMO_QFORMER, lm: demoLm(vocab) };
}
