/**
 * What a dataset's predictions were made with (checkpoint, protocol, token limits, images), kept
 * beside them as <dataset>.settings.json. A resumed evaluation continues the predictions file only
 * if nothing changed; otherwise its lines belong to another model or protocol, and it starts over.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TokenLimits } from '../../pipelines/format/index.ts';
import { writeJsonAtomic } from '../../pipelines/util/atomic.ts';
import { jsonDifferences } from '../train/json-diff.ts';
import type { EvalProtocol } from './protocol.ts';

/** The model's predictions, or the no-image baseline's (the same model shown blank images). */
export type EvalVariant = 'model' | 'no-image';

export interface CheckpointIdentity {
  dir: string;
  step: number;
  /** sha256 of the checkpoint's trainable weights (state.json's record of model.safetensors). */
  weightsSha256: string;
}

export interface EvalSettings {
  checkpoint: CheckpointIdentity;
  variant: EvalVariant;
  protocol: EvalProtocol;
  limits: TokenLimits;
  imageSize: number;
  instructionAware: boolean;
  /** Where the ranked answer vocabulary came from (video QA), else null. */
  vocabulary: string | null;
}

export function predictionFiles(evalDir: string, dataset: string, variant: EvalVariant): { predictions: string; settings: string } {
  const stem = path.join(evalDir, variant === 'model' ? dataset : `${dataset}.${variant}`);
  return { predictions: `${stem}.jsonl`, settings: `${stem}.settings.json` };
}

/** Settings that matter for the predictions: the checkpoint's folder may move, its weights may not. */
function comparable(settings: EvalSettings): unknown {
  const { dir: _dir, ...checkpoint } = settings.checkpoint;
  return { ...settings, checkpoint };
}

/**
 * Keeps the predictions file when it was made with `settings`, else deletes it (first, so a crash
 * before the new settings are written still leaves no stale lines). Returns what changed.
 */
export async function reconcileSettings(files: { predictions: string; settings: string }, settings: EvalSettings): Promise<string[]> {
  let changed: string[] = [];
  if (existsSync(files.settings)) {
    const before = JSON.parse(readFileSync(files.settings, 'utf8')) as EvalSettings;
    changed = jsonDifferences(comparable(before), comparable(settings));
  } else if (existsSync(files.predictions)) {
    changed = ['no settings file beside the predictions'];
  }
  if (changed.length > 0) rmSync(files.predictions, { force: true });
  await writeJsonAtomic(files.settings, settings);
  return changed;
}
