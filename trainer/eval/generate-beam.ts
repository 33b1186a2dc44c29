/**
 * Beam search with HF's bookkeeping: per example K beams, the best 2K (beam, token) continuations per
 * step; an EOS among the top K ends a hypothesis scored sum(log p) / newTokens ** lengthPenalty
 * (newTokens counts the EOS); an example is done when it holds K hypotheses and its best running beam
 * cannot beat the worst of them (HF's early_stopping=False rule); at the length limit the open beams
 * become hypotheses too.
 */
import type { Generated, ResolvedOptions } from './generate.ts';
import type { Decoder } from './generate-decoder.ts';

interface Beam {
  tokens: number[];
  /** Sum of the tokens' log-probabilities. */
  score: number;
}

interface Hypothesis {
  tokens: number[];
  score: number;
  finished: boolean;
}

/** log(sum(exp(logits))): a token's log-probability is its logit minus this. */
export function logSumExp(logits: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return max + Math.log(sum);
}

/** The `count` best tokens of one row, best first (log-softmax keeps the order of the logits). */
function topTokens(logits: Float32Array, count: number, banned: number | undefined): number[] {
  const best: number[] = [];
  for (let t = 0; t < logits.length; t++) {
    if (t === banned) continue;
    const v = logits[t]!;
    if (best.length === count && v <= logits[best[count - 1]!]!) continue;
    let at = best.length === count ? count - 1 : best.length;
    while (at > 0 && logits[best[at - 1]!]! < v) at--;
    best.splice(at, 0, t);
    if (best.length > count) best.pop();
  }
  return best;
}

class Hypotheses {
  readonly list: Hypothesis[] = [];
  constructor(private readonly size: number) {}

  add(h: Hypothesis): void {
    this.list.push(h);
    this.list.sort((a, b) => b.score - a.score);
    if (this.list.length > this.size) this.list.pop();
  }

  isDone(bestRunningScore: number, newTokens: number, lengthPenalty: number): boolean {
    return this.list.length === this.size && bestRunningScore / newTokens ** lengthPenalty <= this.list[this.size - 1]!.score;
  }
}

export function beamSearch(decoder: Decoder, examples: number, options: ResolvedOptions): Generated[] {
  const k = options.numBeams;
  const normalized = (score: number, newTokens: number) => score / newTokens ** options.lengthPenalty;
  decoder.select(Array.from({ length: examples * k }, (_, i) => Math.floor(i / k)));
  // Only the first copy of each prefix may expand at step 0; the others would duplicate it.
  let beams: Beam[][] = Array.from({ length: examples }, () => Array.from({ length: k }, (_, j) => ({ tokens: [], score: j === 0 ? 0 : -Infinity })));
  const hypotheses = Array.from({ length: examples }, () => new Hypotheses(k));
  const done = Array<boolean>(examples).fill(false);
  for (let step = 0; step < options.maxNewTokens; step++) {
    const logits = decoder.logits();
    const banned = step < options.minNewTokens ? options.eosTokenId : undefined;
    const sourceRows: number[] = [];
    const fedTokens: number[] = [];
    beams = beams.map((exampleBeams, e) => {
      if (done[e]) {
        for (let j = 0; j < k; j++) sourceRows.push(e * k + j);
        fedTokens.push(...Array<number>(k).fill(options.eosTokenId));
        return exampleBeams;
      }
      const candidates = exampleBeams.flatMap((beam, j) => {
        if (beam.score === -Infinity) return [];
        const row = logits[e * k + j]!;
        const normalizer = logSumExp(row);
        return topTokens(row, 2 * k, banned).map((token) => ({ j, token, score: beam.score + row[token]! - normalizer }));
      });
      candidates.sort((a, b) => b.score - a.score);
      const next: Beam[] = [];
      for (const [rank, c] of candidates.slice(0, 2 * k).entries()) {
        const parent = exampleBeams[c.j]!;
        if (c.token === options.eosTokenId) {
          if (rank < k) hypotheses[e]!.add({ tokens: parent.tokens, score: normalized(c.score, parent.tokens.length + 1), finished: true });
          continue;
        }
        next.push({ tokens: [...parent.tokens, c.token], score: c.score });
        sourceRows.push(e * k + c.j);
        fedTokens.push(c.token);
        if (next.length === k) break;
      }
      done[e] = hypotheses[e]!.isDone(next[0]!.score, step + 1, options.lengthPenalty);
      return next;
    });
    if (done.every(Boolean) || step === options.maxNewTokens - 1) break;
    decoder.select(sourceRows);
    decoder.feed(fedTokens);
  }
  return hypotheses.map((h, e) => {
    if (!done[e]) for (const beam of beams[e]!) h.add({ tokens: beam.tokens, score: normalized(beam.score, beam.tokens.length), finished: false });
    const best = h.list[0]!;
    return { tokens: best.tokens, finished: best.finished };
  });
}
