/**
 * The seeded choices of rendering. Each is a pure function of (seed, record id, epoch, purpose),
 * so any example can be re-rendered from its position alone and varies from epoch to epoch. The
 * purposes are separate hash streams: the template drawn never correlates with the answer drawn.
 */
import { hashString, uniform } from '../util/random.ts';

export interface RenderContext {
  seed: number;
  /** The epoch of the record's dataset (the sampler's `Draw.epoch`). */
  epoch: number;
}

export const CHOICE_STREAMS = {
  template: hashString('format/template'),
  answer: hashString('format/answer'),
  aokvqaFormat: hashString('format/aokvqa-format'),
} as const;

/** A uniform float in [0, 1) for this record, epoch and purpose. */
export function recordUniform(ctx: RenderContext, stream: number, recordId: string): number {
  return uniform(ctx.seed, stream, hashString(recordId), ctx.epoch);
}

export function pickUniform<T>(items: readonly T[], u: number): T {
  return items[Math.floor(u * items.length)];
}

/** Index i with probability weights[i] / Σ weights; weights are validated by the caller. */
export function pickWeightedIndex(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let threshold = u * total;
  for (let i = 0; i < weights.length; i++) {
    if (threshold < weights[i]) return i;
    threshold -= weights[i];
  }
  // Rounding can leave the threshold a hair above the last positive weight.
  for (let i = weights.length - 1; ; i--) if (weights[i] > 0) return i;
}
