/**
 * The model a checkpoint holds, rebuilt as the trainer built it: the config saved in the
 * checkpoint's state.json, the frozen LM from its folder, everything frozen from the config's seed,
 * then the checkpoint's trainable weights. A model the backend's heap cannot hold is refused before
 * any weight loads; a checkpoint whose weights file lacks trainable tensors (or holds tensors the
 * model does not have) is refused with their names, before anything runs.
 */
import path from 'node:path';
import type { StreamTokenizers } from '../../pipelines/stream/index.ts';
import { type BackendChoice, type BackendName, initBackend } from '../backend.ts';
import { assertNoUnexpected, mapLookup } from '../model/hf-checkpoint.ts';
import type { InstructBlip } from '../model/instructblip.ts';
import { assertForwardFits } from '../model/memory.ts';
import { visionTokens } from '../model/vision.ts';
import { buildModel, instructBlipConfigFor, restoreTrainable } from '../train/build-model.ts';
import { CHECKPOINT_FILES, type LoadedCheckpoint, listCheckpoints, readCheckpoint } from '../train/checkpoint.ts';
import type { TrainConfig } from '../train/config.ts';
import { readLmConfig, readLmFolder } from '../train/lm-folder.ts';
import { resolveLmFolder } from '../train/lm-source.ts';
import { bertUncasedTokenizer } from '../train/tokenizers.ts';
import { RUN_FILES } from '../train/train.ts';
import type { CheckpointIdentity } from './eval-settings.ts';

export const DEFAULT_RUN = path.join('runs', 'demo');

export interface CheckpointChoice {
  /** The run folder: the report and eval/ live here. */
  runDir: string;
  checkpointDir: string;
}

/** `--checkpoint DIR` (a step-N folder), else the newest checkpoint of `--run DIR` (default runs/demo). */
export function chooseCheckpoint(options: { run?: string; checkpoint?: string }): CheckpointChoice {
  if (options.checkpoint !== undefined) {
    const dir = path.resolve(options.checkpoint);
    const parent = path.dirname(dir);
    return { runDir: path.basename(parent) === RUN_FILES.checkpoints ? path.dirname(parent) : dir, checkpointDir: options.checkpoint };
  }
  const runDir = options.run ?? DEFAULT_RUN;
  const all = listCheckpoints(path.join(runDir, RUN_FILES.checkpoints));
  if (all.length === 0) {
    throw new Error(`no checkpoint in ${path.join(runDir, RUN_FILES.checkpoints)}; train first (npm run train${options.run === undefined ? '' : ` -- --name ${path.basename(runDir)}`}) or pass --checkpoint <step folder>`);
  }
  return { runDir, checkpointDir: all[all.length - 1]!.dir };
}

export interface EvalModel {
  model: InstructBlip;
  backend: BackendChoice;
  config: TrainConfig;
  checkpoint: CheckpointIdentity;
  tokenizers: StreamTokenizers;
  decode: (ids: readonly number[]) => string;
}

/** Every trainable tensor must be in the checkpoint, and nothing else; all offenders are named at once. */
export function assertCheckpointCovers(model: InstructBlip, checkpoint: LoadedCheckpoint): void {
  const origin = `checkpoint ${path.join(checkpoint.dir, CHECKPOINT_FILES.weights)}`;
  const trainable = [...model.params.specs.values()].filter((s) => s.trainable).map((s) => s.name);
  const missing = trainable.filter((name) => !checkpoint.weights.has(name));
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).join(', ');
    throw new Error(`${origin} is missing ${missing.length} of the model's ${trainable.length} trainable tensors: ${shown}${missing.length > 20 ? ', ...' : ''}; it was not written by this trainer for this config (state.json's), or was cut short`);
  }
  assertNoUnexpected(mapLookup(checkpoint.weights), origin, trainable);
}

/** Reads and verifies the checkpoint, starts the backend its config names (or `backend`), builds the model. */
export async function loadEvalModel(checkpointDir: string, log: (line: string) => void, backend?: BackendName): Promise<EvalModel> {
  const checkpoint = readCheckpoint(checkpointDir);
  const config = checkpoint.state.config;
  const choice = await initBackend({ backend: backend ?? config.train.backend, threads: config.train.threads });
  log(`backend: ${choice.description}`);
  const lmDir = await resolveLmFolder(config, log);
  const qformer = bertUncasedTokenizer();
  // The smallest pass evaluation makes, from config files alone: a model the heap cannot hold is
  // refused before any weight is read; evaluate() checks its real batch sizes once the model is built.
  const planned = instructBlipConfigFor(config.model, readLmConfig(lmDir), qformer.vocabSize);
  const limits = config.data.limits;
  assertForwardFits(choice, planned, {
    batch: 1, imageTokens: visionTokens(planned.vision), instructionTokens: limits.qformerInstruction, textTokens: limits.lmInstruction + limits.target, trainVision: true,
  }, `evaluation of ${config.name}`);
  const lm = readLmFolder(lmDir);
  const model = buildModel(config.model, lm, qformer.vocabSize);
  try {
    assertCheckpointCovers(model, checkpoint);
    restoreTrainable(model, checkpoint.weights, checkpoint.dir);
  } catch (err) {
    model.params.dispose();
    throw err;
  }
  return {
    model,
    config,
    backend: choice,
    checkpoint: { dir: checkpointDir, step: checkpoint.state.step, weightsSha256: checkpoint.state.files[CHECKPOINT_FILES.weights]! },
    tokenizers: { qformer, lm: lm.tokenizer },
    decode: (ids) => lm.tokenizer.decode(ids),
  };
}
