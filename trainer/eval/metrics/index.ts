/**
 * Which metric scores each evaluated dataset (the paper's Table 1 note: CIDEr for NoCaps and
 * Flickr30K, iVQA accuracy, AUC for Hateful Memes, MRR for Visual Dialog, top-1 accuracy for the
 * rest), and the scorer the evaluator calls with one prediction and one truth per example.
 *
 * Scores are on the paper's scale: accuracies, AUC and MRR in percent, CIDEr-D as pycocoevalcap's
 * value x 100 (1.199 -> 119.9). Per-example values use the same scale.
 */
import { cocoCaptionTokens } from './caption-tokenize.ts';
import { ciderD, type CaptionedImage } from './cider-d.ts';
import { exactMatch } from './exact-match.ts';
import { ivqaAccuracy } from './ivqa-accuracy.ts';
import { ciderDByDomain, nocapsDomain, type NocapsDomain } from './nocaps-domains.ts';
import { predictionChoice, predictionScore, predictionScores, predictionText } from './prediction.ts';
import { reciprocalRank } from './reciprocal-rank.ts';
import { rocAuc } from './roc-auc.ts';
import { top1Correct } from './top1-accuracy.ts';
import { requireReferences, truthError, type EvalTruth } from './truth.ts';
import { vqaAccuracy } from './vqa-accuracy.ts';

export type { EvalTruth } from './truth.ts';
export { normalizeVqaAnswer } from './vqa-normalize.ts';

export type MetricName =
  | 'vqa-accuracy' | 'exact-match' | 'ivqa-accuracy' | 'top1-accuracy' | 'cider-d' | 'roc-auc' | 'mean-reciprocal-rank';

/** What the evaluator passes as one example's prediction. */
export type PredictionKind =
  /** The generated answer or caption. */
  | 'text'
  /** The best-ranked candidate's index (into `candidates`), or its text (MSVD/MSRVTT vocabulary answers). */
  | 'choice'
  /** A number that grows with the model's belief in the positive class (P("yes") for Hateful Memes). */
  | 'positive-score'
  /** One score per candidate, in candidate order (Visual Dialog's 100 options). */
  | 'option-scores';

export interface MetricResult {
  metric: MetricName;
  score: number;
  perExample: number[];
  /** Named sub-scores on the same scale (NoCaps domains); empty when the dataset has none. */
  breakdown: Readonly<Record<string, number>>;
}

export interface DatasetMetric {
  metric: MetricName;
  prediction: PredictionKind;
  score(predictions: readonly unknown[], truths: readonly EvalTruth[]): MetricResult;
}

const PAPER_SCALE = 100;

const toPaperScale = (value: number) => value * PAPER_SCALE;
const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** A metric that is the mean of an independent per-example score in [0, 1]. */
function meanOfExamples(
  metric: MetricName,
  prediction: PredictionKind,
  scoreExample: (prediction: unknown, truth: EvalTruth) => number,
): DatasetMetric {
  return {
    metric,
    prediction,
    score: (predictions, truths) => {
      const perExample = truths.map((truth, i) => toPaperScale(scoreExample(predictions[i], truth)));
      return { metric, score: mean(perExample), perExample, breakdown: {} };
    },
  };
}

const VQA_ACCURACY = meanOfExamples('vqa-accuracy', 'text', (prediction, truth) =>
  vqaAccuracy(predictionText(prediction), requireReferences(truth, 'vqa-accuracy')));

const EXACT_MATCH = meanOfExamples('exact-match', 'text', (prediction, truth) => {
  const references = requireReferences(truth, 'exact-match');
  if (references.length !== 1) throw truthError(truth, 'exact-match', `has ${references.length} reference answers; exact match compares with exactly one`);
  return exactMatch(predictionText(prediction), references[0]);
});

const IVQA_ACCURACY = meanOfExamples('ivqa-accuracy', 'text', (prediction, truth) =>
  ivqaAccuracy(predictionText(prediction), requireReferences(truth, 'ivqa-accuracy')));

const TOP1_ACCURACY = meanOfExamples('top1-accuracy', 'choice', (prediction, truth) => {
  const [answer] = requireReferences(truth, 'top1-accuracy');
  const choice = predictionChoice(prediction);
  return choice === null ? 0 : top1Correct(choice, { answerIndex: truth.answerIndex, answer });
});

const MEAN_RECIPROCAL_RANK = meanOfExamples('mean-reciprocal-rank', 'option-scores', (prediction, truth) => {
  const { candidates, answerIndex } = truth;
  if (candidates === null || answerIndex === null || !Number.isInteger(answerIndex) || answerIndex < 0 || answerIndex >= candidates.length) {
    throw truthError(truth, 'mean-reciprocal-rank', 'needs candidates and the index of the correct one among them');
  }
  const scores = predictionScores(prediction, candidates.length);
  return scores === null ? 0 : reciprocalRank(scores, answerIndex);
});

const ROC_AUC: DatasetMetric = {
  metric: 'roc-auc',
  prediction: 'positive-score',
  score: (predictions, truths) => {
    const isPositive = truths.map((truth) => {
      if (truth.label !== 0 && truth.label !== 1) throw truthError(truth, 'roc-auc', `has label ${truth.label}; expected 0 or 1`);
      return truth.label === 1;
    });
    const { auc, perExample } = rocAuc(truths.map((_, i) => predictionScore(predictions[i])), isPositive);
    return { metric: 'roc-auc', score: toPaperScale(auc), perExample: perExample.map(toPaperScale), breakdown: {} };
  },
};

function captionedImages(predictions: readonly unknown[], truths: readonly EvalTruth[]): CaptionedImage[] {
  return truths.map((truth, i) => ({
    candidate: cocoCaptionTokens(predictionText(predictions[i])),
    references: requireReferences(truth, 'cider-d').map(cocoCaptionTokens),
  }));
}

const CIDER_D: DatasetMetric = {
  metric: 'cider-d',
  prediction: 'text',
  score: (predictions, truths) => {
    const { score, perImage } = ciderD(captionedImages(predictions, truths));
    return { metric: 'cider-d', score: toPaperScale(score), perExample: perImage.map(toPaperScale), breakdown: {} };
  },
};

const NOCAPS_CIDER_D: DatasetMetric = {
  metric: 'cider-d',
  prediction: 'text',
  score: (predictions, truths) => {
    const domains = truths.map((truth): NocapsDomain => {
      const domain = nocapsDomain(truth.meta);
      if (domain === null) throw truthError(truth, 'cider-d', `has no NoCaps domain in meta ${JSON.stringify(truth.meta)}; rebuild the nocaps shards`);
      return domain;
    });
    const { overall, byDomain } = ciderDByDomain(captionedImages(predictions, truths), domains);
    return {
      metric: 'cider-d',
      score: toPaperScale(overall.score),
      perExample: overall.perImage.map(toPaperScale),
      breakdown: Object.fromEntries(Object.entries(byDomain).map(([domain, score]) => [domain, toPaperScale(score)])),
    };
  },
};

/**
 * The 13 held-out datasets, and held-in datasets whose validation splits use the same metrics
 * (VQAv2 and OK-VQA: VQA accuracy over their ten answers; COCO and TextCaps: CIDEr-D).
 */
export const DATASET_METRICS: Readonly<Record<string, DatasetMetric>> = {
  nocaps: NOCAPS_CIDER_D,
  flickr30k: CIDER_D,
  gqa: EXACT_MATCH,
  vsr: TOP1_ACCURACY,
  iconqa: TOP1_ACCURACY,
  vizwiz: VQA_ACCURACY,
  scienceqa: TOP1_ACCURACY,
  textvqa: VQA_ACCURACY,
  'msvd-qa': TOP1_ACCURACY,
  'msrvtt-qa': TOP1_ACCURACY,
  ivqa: IVQA_ACCURACY,
  visdial: MEAN_RECIPROCAL_RANK,
  'hateful-memes': ROC_AUC,
  vqav2: VQA_ACCURACY,
  okvqa: VQA_ACCURACY,
  'coco-caption': CIDER_D,
  textcaps: CIDER_D,
};

export function datasetMetric(dataset: string): DatasetMetric {
  if (!Object.hasOwn(DATASET_METRICS, dataset)) throw new Error(`no metric for dataset "${dataset}"; metrics exist for: ${Object.keys(DATASET_METRICS).join(', ')}`);
  return DATASET_METRICS[dataset];
}

/**
 * Scores one dataset's predictions, one per truth in the same order. A prediction of the wrong kind
 * scores as the worst possible answer; a truth the metric cannot use throws, naming its record.
 */
export function scoreDataset(dataset: string, predictions: readonly unknown[], truths: readonly EvalTruth[]): MetricResult {
  const metric = datasetMetric(dataset);
  if (predictions.length !== truths.length) {
    throw new Error(`${dataset}: ${predictions.length} predictions for ${truths.length} examples; pass one prediction per example, in order`);
  }
  if (truths.length === 0) throw new Error(`${dataset}: no examples to score`);
  return metric.score(predictions, truths);
}
