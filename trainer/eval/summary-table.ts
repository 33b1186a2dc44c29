/**
 * The results table, one row per held-out dataset in the paper's column order: our score, the
 * no-image baseline, and the paper's InstructBLIP numbers beside them, labelled as the paper's (its
 * models are billions of parameters on the full sets; ours is whatever the run trained).
 */
import type { MetricName } from './metrics/index.ts';
import { PAPER_TABLE1, PAPER_TABLE1_DATASETS, type PaperTable1Row } from './paper-table1.ts';
import type { EvalSummary } from './summary.ts';

/** The paper's columns shown: its smallest model of each LM family. */
export const PAPER_COLUMNS: readonly PaperTable1Row[] = PAPER_TABLE1.filter((r) => r.family === 'InstructBLIP' && (r.languageModel === 'FlanT5-XL' || r.languageModel === 'Vicuna-7B'));

export const METRIC_LABELS: Readonly<Record<MetricName, string>> = {
  'cider-d': 'CIDEr',
  'vqa-accuracy': 'VQA accuracy',
  'exact-match': 'accuracy (exact match)',
  'ivqa-accuracy': 'iVQA accuracy',
  'top1-accuracy': 'top-1 accuracy',
  'roc-auc': 'AUC',
  'mean-reciprocal-rank': 'MRR',
};

export interface ResultsTable {
  header: string[];
  rows: string[][];
  notes: string[];
}

const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : String(value));

export function resultsTable(summary: EvalSummary): ResultsTable {
  const result = (dataset: string, variant: string) => summary.results.find((r) => r.dataset === dataset && r.variant === variant);
  const hasBaseline = summary.results.some((r) => r.variant === 'no-image');
  const header = [
    'dataset', 'split', 'metric', 'ours', 'n', ...(hasBaseline ? ['ours, blank images'] : []),
    ...PAPER_COLUMNS.map((r) => `paper: ${r.family} ${r.languageModel}`),
  ];
  const rows = PAPER_TABLE1_DATASETS.map((dataset) => {
    const ours = result(dataset, 'model');
    const baseline = result(dataset, 'no-image');
    const missing = summary.skipped[dataset] === undefined ? 'not evaluated' : summary.skipped[dataset]!.split(';')[0]!;
    return [
      dataset, ours?.split ?? '-', ours ? METRIC_LABELS[ours.metric] : '-', ours ? fixed(ours.score) : missing, ours ? String(ours.n) : '-',
      ...(hasBaseline ? [baseline ? fixed(baseline.score) : '-'] : []),
      ...PAPER_COLUMNS.map((r) => fixed(r.scores[dataset])),
    ];
  });
  const notes = [
    `ours: ${summary.run}, checkpoint step ${summary.checkpoint.step}; ${summary.model}; n = examples scored.`,
    'paper: Dai et al. 2023, Table 1 (zero-shot, full held-out sets), InstructBLIP with EVA ViT-g/14 and FlanT5-XL (about 4B parameters) or Vicuna-7B. Those are the paper\'s numbers at its scale, printed beside ours for the metric and its scale only; they are not comparable results.',
    'Scales: CIDEr x 100 for NoCaps and Flickr30K; percent otherwise (iVQA accuracy, AUC, MRR, top-1 accuracy; ScienceQA is its image subset).',
    ...(hasBaseline ? ['ours, blank images: the same model with every image replaced by a blank one; what the text alone earns.'] : []),
  ];
  return { header, rows, notes };
}

export function markdownTable(table: ResultsTable): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line), '', ...table.notes].join('\n');
}
