/**
 * The demo's section of the run report: the frozen LM's text-only check (stage 0), then held-in
 * exact match with the real images against the shuffled-image baseline, for this run and the runs
 * it is compared with (the ablations).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReportSection, SectionBuilder } from '../train/report/sections.ts';
import { table } from '../train/report/sections.ts';
import type { RunFolder } from '../train/report/run-folder.ts';
import { barChart } from '../train/report/svg.ts';
import { HELDIN_EVAL_FILE, type HeldInEval } from './evaluate-run.ts';

function readEval(run: RunFolder): HeldInEval | null {
  const file = path.join(run.dir, HELDIN_EVAL_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HeldInEval) : null;
}

const rate = (a: { correct: number; total: number } | undefined) => (a ? a.correct / a.total : Number.NaN);
const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

export const demoSection: SectionBuilder = (run, compared): ReportSection | null => {
  const own = readEval(run);
  if (!own) return null;
  const parts: string[] = [];
  const stage0 = own.lm.stage0;
  if (stage0) {
    parts.push(`<h3>Frozen LM (stage 0): text-only, caption in context</h3><p>${stage0.steps} pretraining steps on ${stage0.documents} grounded documents, vocabulary ${stage0.vocabSize} words, ${stage0.seconds.toFixed(0)} s; final loss ${stage0.finalLoss.toFixed(3)}. LM folder: ${own.lm.dir}.</p>`);
    parts.push(table(['dataset', 'exact match', 'examples'], [...Object.entries(stage0.textOnly).map(([d, a]) => [d, fixed(rate(a)), a.total]), ['mean', fixed(stage0.textOnlyMean), '']]));
  }
  const datasets = Object.keys(own.real);
  parts.push(`<h3>Held-in exact match (val splits, greedy, step ${own.step})</h3>`);
  parts.push(barChart(datasets.map((d) => ({ label: d, values: [rate(own.real[d]), rate(own.shuffled[d])] })), ['own image', 'shuffled images (no-image baseline)'], { title: 'exact match per held-in dataset', format: fixed }));
  parts.push(table(['dataset', 'own image', 'shuffled images', 'examples'], [...datasets.map((d) => [d, fixed(rate(own.real[d])), fixed(rate(own.shuffled[d])), own.real[d]!.total]), ['mean', fixed(own.realMean), fixed(own.shuffledMean), '']]));
  const others = compared.map((r) => ({ run: r, result: readEval(r) })).filter((x) => x.result !== null);
  if (others.length > 0) {
    const rows = [{ run, result: own }, ...others].map(({ run: r, result }) => {
      const setting = r.config ? `${r.config.model.qformer.instructionAware ? 'instruction-aware' : 'instruction-agnostic'}, mixture ${r.config.mixture.policy}` : '?';
      return [r.name, setting, fixed(result!.realMean), fixed(result!.shuffledMean), ...datasets.map((d) => fixed(rate(result!.real[d])))];
    });
    parts.push('<h3>Ablations: held-in exact match</h3>');
    parts.push(table(['run', 'setting', 'mean (own image)', 'mean (shuffled)', ...datasets], rows));
  }
  return { id: 'demo', title: 'Demo: does it learn?', html: parts.join('\n') };
};
