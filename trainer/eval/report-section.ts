/**
 * The run report's evaluation section (trainer/train/report's section mechanism): the results table
 * with the paper's numbers beside ours, and how each dataset was evaluated. Built from
 * runs/<name>/eval/summary.json; absent when the run has not been evaluated.
 */
import path from 'node:path';
import { escapeHtml } from '../train/report/svg.ts';
import { type SectionBuilder, table } from '../train/report/sections.ts';
import { METRIC_LABELS, resultsTable } from './summary-table.ts';
import { EVAL_DIR, readSummary } from './summary.ts';

export const evaluationSection: SectionBuilder = (run) => {
  const summary = readSummary(path.join(run.dir, EVAL_DIR));
  if (summary === null) return null;
  const results = resultsTable(summary);
  const protocolRows = summary.results.filter((r) => r.variant === 'model').map((r) => [
    r.dataset, r.templateId, r.protocol, r.vocabulary ?? '-', `${r.n} of ${r.available}`, METRIC_LABELS[r.metric],
    Object.entries(r.breakdown).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ') || '-', String(r.emptyPredictions),
  ]);
  return {
    id: 'evaluation',
    title: `Zero-shot evaluation on the held-out datasets (checkpoint step ${summary.checkpoint.step})`,
    html: table(results.header, results.rows)
      + `<ul>${results.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`
      + '<h3>How each dataset was evaluated</h3>'
      + table(['dataset', 'prompt', 'protocol', 'candidates', 'examples', 'metric', 'breakdown', 'empty predictions (score 0)'], protocolRows),
  };
};
