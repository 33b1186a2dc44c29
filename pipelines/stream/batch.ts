/** What the training stream yields: one padded batch of host arrays, ready for tf.tensor(data, shape). */
import type { SamplerState } from '../mixture/index.ts';

export interface HostTensor<T extends Int32Array | Float32Array> {
  data: T;
  shape: number[];
}

/** Where one example came from: enough to re-render and re-read it. */
export interface ExampleProvenance {
  /** The draw's position in the global stream. */
  n: number;
  dataset: string;
  /** The sampler's record index within the dataset's training records. */
  record: number;
  recordId: string;
  /** The dataset epoch the draw belongs to (rendering varies with it). */
  epoch: number;
  templateId: string;
  /** Which of the record's rendered examples this is (LLaVA renders one per assistant turn). */
  exampleIndex: number;
  exampleCount: number;
  /** Media-store keys of the frames, in order. */
  images: string[];
  /** Tokens cut off by the limits. */
  truncated: { qformerInstruction: number; lmInstruction: number; target: number };
}

/**
 * B examples. Token arrays are right-padded to the longest sequence of the batch; masks are 1 on
 * real tokens. `lmLossMask` is 1 exactly on the target tokens and the final EOS: position t is
 * supervised by the LM's prediction from position t - 1.
 */
export interface TrainingBatch {
  /** [B, F, 3, S, S] float32, CLIP-normalized, channels first; F is the most frames of any example. */
  pixelValues: HostTensor<Float32Array>;
  /** [B] frames per example; frames past an example's count are zeros. */
  frameCounts: Int32Array;
  /** Images not decoded because the stream's skipImage said the consumer has them: their frames are zeros. */
  omittedImages?: ReadonlySet<string>;
  /** [B, Lq] int32: [CLS] instruction [SEP] [PAD]... */
  qformerInputIds: HostTensor<Int32Array>;
  qformerAttentionMask: HostTensor<Int32Array>;
  /** [B, L] int32: [BOS] instruction target [EOS] [PAD]... */
  lmInputIds: HostTensor<Int32Array>;
  lmAttentionMask: HostTensor<Int32Array>;
  lmLossMask: HostTensor<Float32Array>;
  /** [B, L] int32: lmInputIds where lmLossMask is 1, -100 elsewhere (the model's `labels`). */
  lmLabels: HostTensor<Int32Array>;
  provenance: ExampleProvenance[];
  /** The sampler state after this batch: a stream resumed from it continues with the next batch. */
  state: SamplerState;
}
