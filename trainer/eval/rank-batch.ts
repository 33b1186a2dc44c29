/**
 * Log-likelihoods of every candidate of a batch of examples. The soft prompt and prefix are built
 * once per batch; the candidates go through the scorer (trainer/model/score.ts: prefix cache copied
 * per candidate, candidates batched) in passes of at most `maxRows` candidate rows, so a vocabulary
 * of thousands of answers fits in memory. A pass takes only the prefix rows of the examples whose
 * candidates it holds.
 */
import * as tf from '@tensorflow/tfjs';
import { type InstructBlip, type SoftPromptInputs, softPrompt } from '../model/instructblip.ts';
import { type Prefix, leftPaddedPrefix } from '../model/prefix.ts';
import { scoreAfterPrefix } from '../model/score.ts';
import { tidy } from '../model/tidy.ts';

/** One pass: examples [first, first + lists.length) with the candidates [from, to) of each. */
export interface RankPass {
  first: number;
  lists: { example: number; from: number; to: number }[];
}

/** Splits the (example, candidate) pairs, in order, into passes of at most maxRows pairs. */
export function planPasses(candidateCounts: readonly number[], maxRows: number): RankPass[] {
  if (!(maxRows >= 1)) throw new Error(`candidate rows per pass must be at least 1, got ${maxRows}`);
  const passes: RankPass[] = [];
  let current: RankPass | null = null;
  let rows = 0;
  candidateCounts.forEach((count, example) => {
    let from = 0;
    while (from < count) {
      if (current === null || rows === maxRows) {
        current = { first: example, lists: [] };
        passes.push(current);
        rows = 0;
      }
      const to = Math.min(count, from + maxRows - rows);
      current.lists.push({ example, from, to });
      rows += to - from;
      from = to;
    }
  });
  return passes;
}

function prefixRows(prefix: Prefix, first: number, count: number): Prefix {
  const [, length, width] = prefix.embeds.shape;
  return { embeds: prefix.embeds.slice([first, 0, 0], [count, length, width]), mask: prefix.mask.slice([first, 0], [count, length]) };
}

/** Sum log-likelihood of candidates[e][c] after example e's prompt, same nesting. */
export function rankBatch(
  model: InstructBlip, inputs: SoftPromptInputs, promptIds: readonly (readonly number[])[], candidates: readonly (readonly (readonly number[])[])[], maxRows: number,
): number[][] {
  const out = candidates.map((list) => new Array<number>(list.length));
  const prefix = tidy(() => leftPaddedPrefix(model.lm, softPrompt(model, inputs), promptIds));
  try {
    for (const pass of planPasses(candidates.map((c) => c.length), maxRows)) {
      const last = pass.lists[pass.lists.length - 1]!.example;
      const lists: (readonly (readonly number[])[])[] = Array.from({ length: last - pass.first + 1 }, () => []);
      for (const { example, from, to } of pass.lists) lists[example - pass.first] = candidates[example]!.slice(from, to);
      const rows = tidy(() => prefixRows(prefix, pass.first, lists.length));
      try {
        const scores = scoreAfterPrefix(model.lm, rows, lists);
        for (const { example, from } of pass.lists) scores[example - pass.first]!.forEach((s, i) => (out[example]![from + i] = s.logLikelihood));
      } finally {
        tf.dispose([rows.embeds, rows.mask]);
      }
    }
  } finally {
    tf.dispose([prefix.embeds, prefix.mask]);
  }
  return out;
}
