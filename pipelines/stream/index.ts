/** The stream stage's public API: what the trainer imports. */
export type { ExampleProvenance, HostTensor, TrainingBatch } from './batch.ts';
export { IGNORE_LABEL, padSequences, targetLabels, targetLossMask } from './collate.ts';
export { MediaSource, type MediaCacheOptions } from './media-source.ts';
export { pickExampleIndex } from './pick-example.ts';
export { decodeBatchFrames, type PixelBatch } from './pixel-batch.ts';
export { PixelBuffers } from './pixel-buffers.ts';
export { PixelPool } from './pixel-pool.ts';
export { CLIP_MEAN, CLIP_STD } from './pixels.ts';
export { tokenizeExample, type TokenizedExample } from './tokenize-example.ts';
export type { LmTokenizer, QFormerTokenizer, StreamTokenizer, StreamTokenizers } from './tokenizers.ts';
export {
  createTrainingStream, DEFAULT_IMAGE_SIZE, DEFAULT_PREFETCH, TrainingStream, type TrainingStreamOptions, type TrainingStreamStats,
} from './training-stream.ts';
