/**
 * runs/<name>/eval/summary.json: one entry per evaluated (dataset, variant), with the checkpoint it
 * belongs to. Evaluating some datasets later (--datasets) adds to the summary of the same checkpoint
 * and replaces only those entries; a different checkpoint starts a new summary.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../pipelines/util/atomic.ts';
import type { DatasetResult } from './evaluate-dataset.ts';
import type { CheckpointIdentity } from './eval-settings.ts';

/** runs/<name>/eval/ */
export const EVAL_DIR = 'eval';
export const SUMMARY_FILE = 'summary.json';

export interface EvalSummary {
  run: string;
  checkpoint: CheckpointIdentity;
  /** One line: the model's size (for the table's honesty note). */
  model: string;
  updatedAt: string;
  /** Held-out datasets that could not be evaluated, with why (not built, ...). */
  skipped: Record<string, string>;
  results: DatasetResult[];
}

export function readSummary(evalDir: string): EvalSummary | null {
  const file = path.join(evalDir, SUMMARY_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EvalSummary) : null;
}

/** The new results over the previous summary's, when both are of the same checkpoint weights. */
export function mergeSummary(previous: EvalSummary | null, next: EvalSummary): EvalSummary {
  if (previous === null || previous.checkpoint.weightsSha256 !== next.checkpoint.weightsSha256) return next;
  const key = (r: DatasetResult) => `${r.dataset}\u0000${r.variant}`;
  const fresh = new Set(next.results.map(key));
  const results = [...previous.results.filter((r) => !fresh.has(key(r))), ...next.results];
  const evaluated = new Set(results.map((r) => r.dataset));
  const skipped = Object.fromEntries(Object.entries({ ...previous.skipped, ...next.skipped }).filter(([dataset]) => !evaluated.has(dataset)));
  return { ...next, skipped, results };
}

export async function writeSummary(evalDir: string, summary: EvalSummary): Promise<EvalSummary> {
  const merged = mergeSummary(readSummary(evalDir), summary);
  await writeJsonAtomic(path.join(evalDir, SUMMARY_FILE), merged);
  return merged;
}
