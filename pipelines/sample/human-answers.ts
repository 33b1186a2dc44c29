/**
 * Simulated annotator answers for sample VQA-style datasets: most annotators give the true answer,
 * a few give a near miss (a neighbouring colour, a count off by one, a synonym), as in VQAv2 where
 * ten people rarely all agree. The true answer always stays the clear majority.
 */
import { pick } from '../util/random.ts';

export type Confidence = 'yes' | 'maybe' | 'no';

export interface HumanAnswer {
  answer: string;
  confidence: Confidence;
}

/** How many of ten annotators agree with the truth, and how often: 10 of 10 about half the time, never fewer than 6. */
const AGREEMENT: [number, number][] = [[10, 0.45], [9, 0.25], [8, 0.15], [7, 0.1], [6, 0.05]];

function agreeing(next: () => number, n: number): number {
  let u = next();
  for (const [count, p] of AGREEMENT) {
    if (u < p) return Math.round((count / 10) * n);
    u -= p;
  }
  return n;
}

/** `n` answers in annotator order; `nearMisses` supplies the disagreeing ones (none: everyone agrees). */
export function humanAnswers(truth: string, nearMisses: readonly string[], next: () => number, n = 10): HumanAnswer[] {
  const right = nearMisses.length === 0 ? n : agreeing(next, n);
  const answers: HumanAnswer[] = [];
  for (let i = 0; i < n; i++) {
    answers.push(i < right
      ? { answer: truth, confidence: next() < 0.85 ? 'yes' : 'maybe' }
      : { answer: pick(next, nearMisses), confidence: next() < 0.6 ? 'maybe' : 'no' });
  }
  // Fisher-Yates, so the disagreeing annotators are not always the last ones.
  for (let i = answers.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [answers[i], answers[j]] = [answers[j], answers[i]];
  }
  return answers;
}
