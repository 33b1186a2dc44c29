/** Padding token sequences into batch arrays. */
import type { HostTensor } from './batch.ts';
import type { TokenizedExample } from './tokenize-example.ts';

export interface PaddedIds {
  ids: HostTensor<Int32Array>;
  attentionMask: HostTensor<Int32Array>;
}

/** Right-pads to the longest sequence; the mask is 1 on real tokens. */
export function padSequences(sequences: readonly (readonly number[])[], padId: number): PaddedIds {
  const rows = sequences.length;
  const length = Math.max(1, ...sequences.map((s) => s.length));
  const ids = new Int32Array(rows * length).fill(padId);
  const mask = new Int32Array(rows * length);
  sequences.forEach((seq, b) => {
    ids.set(seq, b * length);
    mask.fill(1, b * length, b * length + seq.length);
  });
  const shape = [rows, length];
  return { ids: { data: ids, shape }, attentionMask: { data: mask, shape: [...shape] } };
}

/** 1 on each example's target tokens and its EOS (lmIds[targetStart..]), 0 on the prompt and padding. */
export function targetLossMask(examples: readonly TokenizedExample[], length: number): HostTensor<Float32Array> {
  const mask = new Float32Array(examples.length * length);
  examples.forEach((e, b) => mask.fill(1, b * length + e.targetStart, b * length + e.lmIds.length));
  return { data: mask, shape: [examples.length, length] };
}

/** HF's label convention: -100 on positions that are not trained. */
export const IGNORE_LABEL = -100;

/** The LM ids where the loss mask is 1 and IGNORE_LABEL elsewhere: the `labels` the model's loss takes. */
export function targetLabels(examples: readonly TokenizedExample[], length: number): HostTensor<Int32Array> {
  const labels = new Int32Array(examples.length * length).fill(IGNORE_LABEL);
  examples.forEach((e, b) => labels.set(e.lmIds.slice(e.targetStart), b * length + e.targetStart));
  return { data: labels, shape: [examples.length, length] };
}
