/**
 * npm run eval: a run's checkpoint on the held-out datasets, each with its zero-shot prompt and the
 * paper's protocol (protocol.ts). Read top to bottom: choose the checkpoint and rebuild its model,
 * decide which datasets (all built held-out sets, or those asked for, refused up front if not
 * built), evaluate each (and the same model with blank images as a baseline), then write
 * eval/summary.json, print the table beside the paper's numbers, and add the evaluation to the
 * run's report.
 */
import path from 'node:path';
import { HELD_OUT_IDS } from '../../pipelines/catalog.ts';
import { loadTemplateLibrary } from '../../pipelines/format/index.ts';
import { MediaReader } from '../../pipelines/media/media-reader.ts';
import type { RawAccess } from '../../pipelines/raw/access.ts';
import { openRawAccess } from '../../pipelines/raw/ledger.ts';
import type { ShardDirs } from '../../pipelines/shards/shard-reader.ts';
import { PixelPool } from '../../pipelines/stream/index.ts';
import type { BackendName } from '../backend.ts';
import { assertForwardFits } from '../model/memory.ts';
import { visionTokens } from '../model/vision.ts';
import { ALL_SECTIONS } from '../train/report/all-sections.ts';
import { writeReport } from '../train/report/report.ts';
import { chooseCheckpoint, type EvalModel, loadEvalModel } from './eval-model.ts';
import type { EvalVariant } from './eval-settings.ts';
import { evaluationSplit, requireBuilt } from './eval-split.ts';
import { type DatasetResult, type DatasetRunContext, evaluateDataset, type PreparedSplit, prepareSplit } from './evaluate-dataset.ts';
import { EvalImageFeatures } from './image-features.ts';
import type { BatchPredictor } from './predict-batch.ts';
import { createDatasetProgress, type DatasetProgress } from './progress.ts';
import { CandidateEncoder } from './prompt-tokens.ts';
import { CAPTION } from './protocol.ts';
import { markdownTable, resultsTable } from './summary-table.ts';
import { EVAL_DIR, type EvalSummary, writeSummary } from './summary.ts';

export const DEFAULT_BATCH_SIZE = 8;
/** Candidate rows per ranking pass: a 4,000-answer vocabulary takes a few passes per batch. */
export const DEFAULT_CANDIDATE_ROWS = 512;

export interface EvaluateOptions {
  /** A run folder (its newest checkpoint); default runs/demo. */
  run?: string;
  /** A checkpoint folder (runs/<name>/checkpoints/step-N); wins over `run`. */
  checkpoint?: string;
  /** Held-out dataset ids; default every built one. */
  datasets?: readonly string[];
  /** Examples per dataset (the split's first N). */
  limit?: number;
  batchSize?: number;
  candidateRows?: number;
  /** Beams for generation (default: the protocol's 5). */
  numBeams?: number;
  /** Also evaluate the model with blank images (default true). */
  baseline?: boolean;
  /** Default: the run config's data.shardsDir / data.manifestsDir. */
  shardsDir?: string;
  manifestsDir?: string;
  /** Raw files (the video QA answer vocabularies); default openRawAccess('raw'). */
  raw?: RawAccess;
  backend?: BackendName;
  imageWorkers?: number;
  log?: (line: string) => void;
  progress?: DatasetProgress;
  afterBatch?: DatasetRunContext['afterBatch'];
}

export interface EvaluateResult {
  summary: EvalSummary;
  /** The printed table (markdown). */
  table: string;
  evalDir: string;
  reportFile: string;
}

/** The datasets to evaluate, and why each other held-out dataset is not. Explicit ones must be built. */
export function chooseDatasets(manifestsDir: string, wanted: readonly string[] | undefined): { datasets: string[]; skipped: Record<string, string> } {
  if (wanted !== undefined) {
    for (const dataset of wanted) requireBuilt(manifestsDir, dataset, evaluationSplit(dataset));
    return { datasets: [...wanted], skipped: {} };
  }
  const datasets: string[] = [];
  const skipped: Record<string, string> = {};
  for (const dataset of HELD_OUT_IDS) {
    try {
      requireBuilt(manifestsDir, dataset, evaluationSplit(dataset));
      datasets.push(dataset);
    } catch (err) {
      skipped[dataset] = (err as Error).message.startsWith(`held-out dataset "${dataset}" is not built`) ? `not built; ${(err as Error).message}` : (err as Error).message;
    }
  }
  if (datasets.length === 0) throw new Error(`no held-out dataset is built in ${manifestsDir}; build them with: npm run ingest -- --held-out && npm run build-shards -- --held-out`);
  return { datasets, skipped };
}

function describeModel(loaded: EvalModel): string {
  const { cfg, params } = loaded.model;
  const millions = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 0)}M`;
  return `vision ${cfg.vision.numLayers}x${cfg.vision.hiddenSize}, Q-Former ${cfg.qformer.numLayers}x${cfg.qformer.hiddenSize} (${cfg.qformer.numQueryTokens} queries, instruction-aware ${cfg.qformer.instructionAware}), LM ${cfg.lm.numLayers}x${cfg.lm.hiddenSize} (vocab ${cfg.lm.vocabSize}); ${millions(params.count())} parameters, ${millions(params.count((s) => s.trainable))} trained`;
}

function assertFits(loaded: EvalModel, batchSize: number, candidateRows: number, numBeams: number): void {
  const { config, model } = loaded;
  const limits = config.data.limits;
  const shape = { imageTokens: 4 * visionTokens(model.cfg.vision), instructionTokens: limits.qformerInstruction, trainVision: true };
  assertForwardFits(loaded.backend, model.cfg, { ...shape, batch: batchSize * numBeams, textTokens: limits.lmInstruction + CAPTION.maxNewTokens }, `evaluation of ${config.name}`);
  assertForwardFits(loaded.backend, model.cfg, { ...shape, batch: candidateRows, textTokens: limits.lmInstruction + limits.target }, `candidate ranking of ${config.name}`);
}

export async function evaluate(options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const choice = chooseCheckpoint(options);
  const loaded = await loadEvalModel(choice.checkpointDir, log, options.backend);
  const { config, model } = loaded;
  const modelDescription = describeModel(loaded);
  const dirs: ShardDirs = { shardsDir: options.shardsDir ?? config.data.shardsDir, manifestsDir: options.manifestsDir ?? config.data.manifestsDir };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const candidateRows = options.candidateRows ?? DEFAULT_CANDIDATE_ROWS;
  const evalDir = path.join(choice.runDir, EVAL_DIR);
  const results: DatasetResult[] = [];
  let skipped: Record<string, string>;
  let media: MediaReader | null = null;
  let pool: PixelPool | null = null;
  try {
    const chosen = chooseDatasets(dirs.manifestsDir, options.datasets);
    skipped = chosen.skipped;
    assertFits(loaded, batchSize, candidateRows, options.numBeams ?? CAPTION.numBeams);
    const ctx: DatasetRunContext = {
      dirs, raw: options.raw ?? openRawAccess('raw'), library: loadTemplateLibrary(), evalDir, checkpoint: loaded.checkpoint,
      imageSize: config.data.imageSize, batchSize, numBeams: options.numBeams, progress: options.progress ?? createDatasetProgress(), log, afterBatch: options.afterBatch,
    };
    // Every split is read and checked before the model runs on any: an input error costs no compute.
    const prepared: PreparedSplit[] = [];
    for (const dataset of chosen.datasets) prepared.push(await prepareSplit(ctx, dataset, options.limit));
    log(`evaluating ${choice.checkpointDir} (step ${loaded.checkpoint.step}) on ${chosen.datasets.join(', ')}${options.limit === undefined ? '' : `, at most ${options.limit} examples each`}`);
    media = await MediaReader.open(dirs.shardsDir);
    pool = new PixelPool(options.imageWorkers);
    const predictor = (blank: boolean): BatchPredictor => ({
      model, tokenizers: loaded.tokenizers, decode: loaded.decode, limits: config.data.limits, candidateRows,
      features: new EvalImageFeatures(model, { media: media!, pool: pool!, imageSize: config.data.imageSize, blank }),
      candidates: new CandidateEncoder(loaded.tokenizers, config.data.limits),
    });
    const variants: [EvalVariant, BatchPredictor][] = [['model', predictor(false)], ...(options.baseline ?? true ? [['no-image', predictor(true)] as [EvalVariant, BatchPredictor]] : [])];
    for (const split of prepared) {
      for (const [variant, p] of variants) {
        const result = await evaluateDataset(ctx, p, split, variant);
        results.push(result);
        ctx.progress.note(`${result.dataset}${variant === 'model' ? '' : ` (${variant})`}: ${result.metric} ${result.score.toFixed(2)} on ${result.n} examples${result.predicted < result.n ? ` (${result.n - result.predicted} resumed)` : ''}`);
      }
    }
  } finally {
    await pool?.close();
    await media?.close();
    model.params.dispose();
  }
  const summary = await writeSummary(evalDir, {
    run: path.basename(path.resolve(choice.runDir)), checkpoint: loaded.checkpoint, model: modelDescription, updatedAt: new Date().toISOString(), skipped, results,
  });
  const table = markdownTable(resultsTable(summary));
  const reportFile = await writeReport(choice.runDir, { sections: ALL_SECTIONS });
  return { summary, table, evalDir, reportFile };
}
