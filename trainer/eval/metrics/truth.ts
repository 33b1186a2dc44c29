/**
 * What the scorers know about one evaluated example: the evaluator's rendered prompt truth
 * (`references`, `candidates`, `answerIndex` of pipelines/format's EvalPrompt) plus the record's `id`,
 * `label` and `meta`. A truth a metric cannot use is a data error: it throws, naming the record.
 */

export interface EvalTruth {
  /** The record id (`<dataset>/<split>/<native id>`), named in errors. */
  id: string;
  /** All human answers or captions; for ranked tasks, the correct candidate's text. */
  references: readonly string[];
  /** Ranked tasks: the candidates scored per example, in order; null otherwise. */
  candidates: readonly string[] | null;
  /** Index of the correct candidate. */
  answerIndex: number | null;
  /** Classification label (Hateful Memes: 1 = hateful). */
  label: number | null;
  /** The record's `meta` JSON (NoCaps: {"domain": ...}). */
  meta: string | null;
}

export function truthError(truth: EvalTruth, metric: string, problem: string): Error {
  return new Error(`${metric}: record ${truth.id} ${problem}`);
}

export function requireReferences(truth: EvalTruth, metric: string): readonly string[] {
  if (truth.references.length === 0) {
    throw truthError(truth, metric, 'has no reference answers; splits whose answers are withheld (VizWiz test) are scored by their server, not here');
  }
  return truth.references;
}
