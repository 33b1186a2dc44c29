/** The stream stage's public API: what the trainer imports. */
export type { ExampleProvenance, HostTensor, TrainingBatch } from './batch.ts';
export { IGNORE_LABEL } from './collate.ts';
export { CLIP_MEAN, CLIP_STD } from './pixels.ts';
export { pickExampleIndex } from './pick-example.ts';
export { PixelPool } from './pixel-pool.ts';
export type { LmTokenizer, QFormerTokenizer, StreamTokenizer, StreamTokenizers } from './tokenizers.ts';
export {
  createTrainingStream, DEFAULT_IMAGE_SIZE, DEFAULT_PREFETCH, TrainingStream, type TrainingStreamOptions, type TrainingStreamStats,
} from './training-stream.ts';
