/**
 * The report's standard sections. A section is a function of the run folder (and the runs it is
 * compared with) returning HTML, or null when it has nothing to show; evaluation and the demo add
 * their own sections the same way (report.ts takes a list).
 */
import { barChart, escapeHtml, lineChart, type Series } from './svg.ts';
import type { RunFolder } from './run-folder.ts';

export interface ReportSection {
  id: string;
  title: string;
  html: string;
}

export type SectionBuilder = (run: RunFolder, compared: readonly RunFolder[]) => ReportSection | null;

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => `<td>${escapeHtml(String(v))}</td>`;
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Mean of the last `n` values: a readable "final loss" for a noisy curve. */
export function tailMean(values: readonly number[], n = 20): number {
  const tail = values.slice(-n);
  return tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
}

/** Moving average over a window, for the smoothed loss curve. */
export function smooth(points: readonly (readonly [number, number])[], window: number): [number, number][] {
  return points.map(([x], i) => {
    const slice = points.slice(Math.max(0, i - window + 1), i + 1);
    return [x, slice.reduce((a, [, y]) => a + y, 0) / slice.length];
  });
}

export const summarySection: SectionBuilder = (run) => {
  const c = run.config;
  const seconds = run.train.reduce((a, r) => a + r.seconds, 0);
  const waiting = run.train.reduce((a, r) => a + r.dataWait, 0);
  const last = run.train[run.train.length - 1];
  const rows: [string, string | number][] = [
    ['run', run.name],
    ['steps done', last ? `${last.step}${c ? ` of ${c.train.steps}` : ''}` : 'none'],
    ['examples seen', last?.examples ?? 0],
    ['train loss (mean of the last 20 steps)', run.train.length ? tailMean(run.train.map((r) => r.loss)).toFixed(4) : '-'],
    ['step time (sum), of which waiting for data', `${seconds.toFixed(1)} s, ${seconds > 0 ? ((100 * waiting) / seconds).toFixed(1) : '0'} %`],
    ['checkpoints kept', run.checkpoints.join(', ') || 'none'],
  ];
  if (c) {
    rows.push(
      ['Q-Former', `${c.model.qformer.numLayers} layers, width ${c.model.qformer.hiddenSize}, ${c.model.qformer.numQueryTokens} queries, instruction-aware ${c.model.qformer.instructionAware}`],
      ['mixture', `${c.mixture.policy}, ${c.mixture.datasets.length} held-in datasets`],
      ['batch', `${c.train.batchSize} (micro-batch ${c.train.microBatchSize})`],
      ['schedule', `warmup ${c.train.schedule.warmupSteps} steps from ${c.train.schedule.warmupStartLr} to ${c.train.schedule.peakLr}, cosine to ${c.train.schedule.minLr}`],
      ['AdamW', `betas ${c.train.adamw.beta1}/${c.train.adamw.beta2}, weight decay ${c.train.adamw.weightDecay}, clip ${c.train.clipGradNorm ?? 'none'}`],
    );
  }
  const events = run.events.length ? `<h3>Events</h3><ul>${run.events.map((e) => `<li>step ${e.step}: ${escapeHtml(e.message)}</li>`).join('')}</ul>` : '';
  return { id: 'summary', title: 'Summary', html: table(['', ''], rows) + events };
};

export const curvesSection: SectionBuilder = (run) => {
  if (run.train.length === 0) return null;
  const loss = run.train.map((r) => [r.step, r.loss] as [number, number]);
  const window = Math.max(1, Math.round(loss.length / 50));
  const series: Series[] = [{ name: 'loss', points: loss }, ...(window > 1 ? [{ name: `moving average (${window})`, points: smooth(loss, window) }] : [])];
  return {
    id: 'curves',
    title: 'Training loss and learning rate',
    html: lineChart(series, { title: 'training loss (target tokens)', xLabel: 'step', yLabel: 'loss' })
      + lineChart([{ name: 'lr', points: run.train.map((r) => [r.step, r.lr]) }], { title: 'learning rate', xLabel: 'step', yLabel: 'lr' }),
  };
};

export const validationSection: SectionBuilder = (run) => {
  if (run.validation.length === 0) return null;
  const datasets = [...new Set(run.validation.flatMap((v) => Object.keys(v.losses)))].sort();
  const series = datasets.map((d) => ({ name: d, points: run.validation.filter((v) => d in v.losses).map((v) => [v.step, v.losses[d]!] as [number, number]) }));
  const first = run.validation[0]!;
  const last = run.validation[run.validation.length - 1]!;
  const rows = datasets.map((d) => [d, first.losses[d]?.toFixed(4) ?? '-', last.losses[d]?.toFixed(4) ?? '-']);
  return {
    id: 'validation',
    title: 'Held-in validation loss per dataset',
    html: lineChart(series, { title: 'validation loss (val splits, no dropout)', xLabel: 'step', yLabel: 'loss' }) + table(['dataset', `step ${first.step}`, `step ${last.step}`], rows),
  };
};

export const mixtureSection: SectionBuilder = (run) => {
  if (!run.ledger) return null;
  const rows = [...run.ledger.observed.datasets].sort((a, b) => b.targetShare - a.targetShare);
  const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
  return {
    id: 'mixture',
    title: `Mixture: observed vs target shares (${run.ledger.observed.policy}, ${run.ledger.observed.draws} draws)`,
    html: barChart(rows.map((r) => ({ label: r.dataset, values: [r.targetShare, r.observedShare] })), ['target', 'observed'], { title: 'share of draws per dataset', format: percent })
      + table(['dataset', 'records', 'draws', 'epochs', 'target', 'observed'], rows.map((r) => [r.dataset, r.size, r.draws, r.epochs.toFixed(2), percent(r.targetShare), percent(r.observedShare)])),
  };
};

/** Loss curves and final numbers of this run next to the runs it is compared with (the ablations). */
export const comparisonSection: SectionBuilder = (run, compared) => {
  if (compared.length === 0) return null;
  const runs = [run, ...compared];
  const window = (r: RunFolder) => Math.max(1, Math.round(r.train.length / 50));
  const series = runs.map((r) => ({ name: r.name, points: smooth(r.train.map((t) => [t.step, t.loss] as [number, number]), window(r)) }));
  const describe = (r: RunFolder) => (r.config ? `${r.config.model.qformer.instructionAware ? 'instruction-aware' : 'instruction-agnostic'}, ${r.config.mixture.policy}` : '?');
  const lastVal = (r: RunFolder) => {
    const v = r.validation[r.validation.length - 1];
    if (!v) return '-';
    const values = Object.values(v.losses);
    return (values.reduce((a, b) => a + b, 0) / values.length).toFixed(4);
  };
  return {
    id: 'comparison',
    title: 'Comparison with other runs',
    html: lineChart(series, { title: 'training loss (moving average)', xLabel: 'step', yLabel: 'loss' })
      + table(['run', 'setting', 'steps', 'train loss (last 20)', 'mean validation loss (last)'], runs.map((r) => [r.name, describe(r), r.train.length, r.train.length ? tailMean(r.train.map((t) => t.loss)).toFixed(4) : '-', lastVal(r)])),
  };
};

export const STANDARD_SECTIONS: readonly SectionBuilder[] = [summarySection, curvesSection, validationSection, mixtureSection, comparisonSection];
