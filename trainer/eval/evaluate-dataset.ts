/**
 * One held-out dataset, start to finish: read and render its split, reconcile with predictions
 * already made (resume), predict the rest batch by batch (each batch appended to the predictions
 * file as soon as it is made), then score everything with the dataset's metric and rewrite the
 * file with per-example scores.
 */
import { performance } from 'node:perf_hooks';
import type { TemplateLibrary } from '../../pipelines/format/index.ts';
import type { RawAccess } from '../../pipelines/raw/access.ts';
import type { ShardDirs } from '../../pipelines/shards/shard-reader.ts';
import { type AnswerVocabulary, loadAnswerVocabulary } from './answer-vocabulary.ts';
import { type EvalExample, type EvalSplit, readEvalSplit, truthOf } from './eval-split.ts';
import { type CheckpointIdentity, type EvalSettings, type EvalVariant, predictionFiles, reconcileSettings } from './eval-settings.ts';
import { type MetricName, type MetricResult, scoreDataset } from './metrics/index.ts';
import { type BatchPredictor, predictBatch } from './predict-batch.ts';
import type { PredictionLine } from './prediction-line.ts';
import { PredictionAppender, readPredictions, rewritePredictions } from './predictions-file.ts';
import type { DatasetProgress } from './progress.ts';
import { describeProtocol, type EvalProtocol, evalProtocol, withBeams } from './protocol.ts';

export interface DatasetRunContext {
  dirs: ShardDirs;
  raw: RawAccess;
  library: TemplateLibrary;
  evalDir: string;
  checkpoint: CheckpointIdentity;
  imageSize: number;
  batchSize: number;
  /** Overrides the protocol's beam count for generation. */
  numBeams?: number;
  progress: DatasetProgress;
  log: (line: string) => void;
  /** Called after each batch is on disk (tests interrupt here). */
  afterBatch?: (dataset: string, predictedSoFar: number) => void;
}

export interface DatasetResult {
  dataset: string;
  split: string;
  variant: EvalVariant;
  metric: MetricName;
  score: number;
  breakdown: Readonly<Record<string, number>>;
  /** Examples scored, and records in the split. */
  n: number;
  available: number;
  templateId: string;
  protocol: string;
  vocabulary: string | null;
  /** Predictions that are empty text: each scores 0 and is kept. */
  emptyPredictions: number;
  /** Made in this session (the rest were resumed from the file), and how fast. */
  predicted: number;
  seconds: number;
  examplesPerSecond: number | null;
}

/** Batches of at most `size` examples, split further where the frame count changes (frames are not padded). */
export function evaluationBatches<T extends { record: { images: readonly string[] } }>(examples: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (const example of examples) {
    const last = batches[batches.length - 1];
    if (last !== undefined && last.length < size && last[0]!.record.images.length === example.record.images.length) last.push(example);
    else batches.push([example]);
  }
  return batches;
}

/** Through JSON and back: predictions read from the file and those just made are then the same values. */
const asStored = (line: PredictionLine): PredictionLine => JSON.parse(JSON.stringify(line)) as PredictionLine;

/** A split ready to run: its examples and, for the video QA sets, the vocabulary they are ranked over. */
export interface PreparedSplit {
  split: EvalSplit;
  vocabulary: AnswerVocabulary | null;
}

/** Reads, renders and checks a dataset's split (and loads its vocabulary): every input error surfaces here. */
export async function prepareSplit(ctx: Pick<DatasetRunContext, 'dirs' | 'raw' | 'library' | 'log'>, dataset: string, limit?: number): Promise<PreparedSplit> {
  const split = await readEvalSplit(ctx.dirs, dataset, ctx.library, limit);
  const protocol = evalProtocol(dataset);
  const vocabulary = protocol.kind === 'rank' && protocol.candidates.from === 'vocabulary'
    ? await loadAnswerVocabulary(split.manifest, split.examples.map((e) => e.record), ctx.raw, ctx.dirs, ctx.log)
    : null;
  return { split, vocabulary };
}

async function predictMissing(ctx: DatasetRunContext, p: BatchPredictor, protocol: EvalProtocol, todo: readonly EvalExample[], vocabulary: AnswerVocabulary | null, file: string, made: Map<string, PredictionLine>): Promise<number> {
  const appender = new PredictionAppender(file);
  let predicted = 0;
  try {
    for (const batch of evaluationBatches(todo, ctx.batchSize)) {
      const lines = await predictBatch(p, protocol, batch, vocabulary);
      appender.append(lines);
      for (const line of lines) made.set(line.id, asStored(line));
      predicted += lines.length;
      ctx.progress.advance(lines.length);
      ctx.afterBatch?.(batch[0]!.record.dataset, predicted);
    }
  } finally {
    appender.close();
    ctx.progress.finish();
  }
  return predicted;
}

function scoreSplit(split: EvalSplit, lines: readonly PredictionLine[], file: string): MetricResult {
  try {
    return scoreDataset(split.dataset, lines.map((l) => l.prediction), split.examples.map(truthOf));
  } catch (err) {
    throw new Error(`${split.dataset} (${lines.length} examples of ${split.split}): ${(err as Error).message}; the predictions are kept in ${file} (score more examples: raise --limit)`, { cause: err });
  }
}

export async function evaluateDataset(ctx: DatasetRunContext, p: BatchPredictor, prepared: PreparedSplit, variant: EvalVariant): Promise<DatasetResult> {
  const { split, vocabulary } = prepared;
  const dataset = split.dataset;
  const protocol = withBeams(evalProtocol(dataset), ctx.numBeams);
  const settings: EvalSettings = {
    checkpoint: ctx.checkpoint, variant, protocol, limits: p.limits, imageSize: ctx.imageSize,
    instructionAware: p.model.cfg.qformer.instructionAware, vocabulary: vocabulary?.origin ?? null,
  };
  const files = predictionFiles(ctx.evalDir, dataset, variant);
  const changed = await reconcileSettings(files, settings);
  if (changed.length > 0) ctx.log(`${dataset}: earlier predictions were made with other settings and are discarded (${changed.slice(0, 3).join('; ')}${changed.length > 3 ? '; ...' : ''})`);
  const { lines: made, tornBytes } = readPredictions(files.predictions);
  if (tornBytes > 0) ctx.log(`${dataset}: cut off a partial last line (${tornBytes} bytes) left by an interrupted evaluation`);
  for (const [id, line] of made) made.set(id, asStored(line));

  const todo = split.examples.filter((e) => !made.has(e.record.id));
  ctx.progress.start(variant === 'model' ? dataset : `${dataset} (${variant})`, split.examples.length, split.examples.length - todo.length);
  const started = performance.now();
  const predicted = await predictMissing(ctx, p, protocol, todo, vocabulary, files.predictions, made);
  const seconds = (performance.now() - started) / 1000;

  const lines = split.examples.map((e) => made.get(e.record.id)!);
  const result = scoreSplit(split, lines, files.predictions);
  const selected = new Set(lines.map((l) => l.id));
  const others = [...made.values()].filter((l) => !selected.has(l.id)).map(({ score: _score, ...rest }) => rest);
  await rewritePredictions(files.predictions, [...lines.map((l, i) => ({ ...l, score: result.perExample[i]! })), ...others]);
  return {
    dataset, split: split.split, variant, metric: result.metric, score: result.score, breakdown: result.breakdown,
    n: lines.length, available: split.available, templateId: split.examples[0]!.prompt.templateId, protocol: describeProtocol(protocol),
    vocabulary: vocabulary?.origin ?? null, emptyPredictions: lines.filter((l) => l.prediction === '').length,
    predicted, seconds, examplesPerSecond: predicted > 0 ? predicted / seconds : null,
  };
}
