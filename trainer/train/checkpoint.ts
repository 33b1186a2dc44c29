/**
 * Checkpoints: runs/<name>/checkpoints/step-N/ holds the trainable weights (model.safetensors, HF
 * names and layout), the AdamW moments (optimizer.safetensors, `<name>.exp_avg` / `.exp_avg_sq` as
 * PyTorch calls them), the mixture ledger, and state.json (step, sampler state, RNG seed, config,
 * data fingerprint and the sha256 of every other file).
 *
 * Crash safety: everything is written and fsynced inside a hidden temporary folder, state.json last,
 * and the folder is renamed to step-N only then. A folder named step-N is therefore complete; a kill
 * at any point leaves at most a `.step-N.*.tmp` folder, which nothing reads and the next save removes.
 * On load every file is re-hashed against state.json, so a damaged checkpoint is refused by name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { SamplerState } from '../../pipelines/mixture/index.ts';
import { type TensorData, type TensorToWrite, encodeSafetensors, readSafetensorsFile } from '../weights.ts';
import type { TrainConfig } from './config.ts';
import type { DataFingerprint } from './data-fingerprint.ts';

export const CHECKPOINT_FORMAT = 1;
export const CHECKPOINT_FILES = { weights: 'model.safetensors', optimizer: 'optimizer.safetensors', ledger: 'mixture-ledger.json', state: 'state.json' } as const;
export const MOMENT_SUFFIXES = { m: '.exp_avg', v: '.exp_avg_sq' } as const;

export interface CheckpointState {
  format: number;
  /** Optimizer steps completed. */
  step: number;
  /** AdamW's update count (its bias correction). */
  optimizerUpdates: number;
  /** The stream's state after the last batch of `step`: a stream resumed from it continues exactly. */
  sampler: SamplerState;
  /** Dropout masks are a pure function of (seed, step, micro-batch, call), so this is the whole RNG state. */
  rng: { seed: number };
  config: TrainConfig;
  data: DataFingerprint;
  /** sha256 of each other file of the checkpoint. */
  files: Record<string, string>;
  savedAt: string;
}

export interface CheckpointContents {
  weights: readonly TensorToWrite[];
  optimizer: readonly TensorToWrite[];
  ledger: unknown;
  state: Omit<CheckpointState, 'files' | 'format' | 'savedAt'>;
}

export interface LoadedCheckpoint {
  dir: string;
  state: CheckpointState;
  weights: Map<string, TensorData>;
  optimizer: Map<string, TensorData>;
}

const STEP_DIR = /^step-(\d+)$/;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function writeDurably(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Completed checkpoints, oldest first. */
export function listCheckpoints(checkpointsDir: string): { step: number; dir: string }[] {
  if (!existsSync(checkpointsDir)) return [];
  return readdirSync(checkpointsDir)
    .flatMap((name) => {
      const match = STEP_DIR.exec(name);
      return match ? [{ step: Number(match[1]), dir: path.join(checkpointsDir, name) }] : [];
    })
    .sort((a, b) => a.step - b.step);
}

/** Removes leftovers of interrupted saves. */
export function removePartialCheckpoints(checkpointsDir: string): void {
  if (!existsSync(checkpointsDir)) return;
  for (const name of readdirSync(checkpointsDir)) if (name.startsWith('.step-') && name.endsWith('.tmp')) rmSync(path.join(checkpointsDir, name), { recursive: true, force: true });
}

/** Writes step-N atomically, then keeps only the newest `keep` checkpoints. */
export function writeCheckpoint(checkpointsDir: string, contents: CheckpointContents, keep: number): string {
  mkdirSync(checkpointsDir, { recursive: true });
  removePartialCheckpoints(checkpointsDir);
  const name = `step-${contents.state.step}`;
  const tmp = path.join(checkpointsDir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(tmp);
  const payload: Record<string, Uint8Array> = {
    [CHECKPOINT_FILES.weights]: encodeSafetensors(contents.weights, { format: 'pt' }),
    [CHECKPOINT_FILES.optimizer]: encodeSafetensors(contents.optimizer, { format: 'pt' }),
    [CHECKPOINT_FILES.ledger]: new TextEncoder().encode(`${JSON.stringify(contents.ledger, null, 2)}\n`),
  };
  const files: Record<string, string> = {};
  for (const [file, bytes] of Object.entries(payload)) {
    writeDurably(path.join(tmp, file), bytes);
    files[file] = sha256(bytes);
  }
  const state: CheckpointState = { format: CHECKPOINT_FORMAT, ...contents.state, files, savedAt: new Date().toISOString() };
  writeDurably(path.join(tmp, CHECKPOINT_FILES.state), new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`));
  fsyncDir(tmp);
  const target = path.join(checkpointsDir, name);
  // Re-saving a step (a resumed run passing it again) replaces the old folder only once the new one is whole.
  const old = existsSync(target) ? `${tmp}.old` : null;
  if (old) renameSync(target, old);
  renameSync(tmp, target);
  fsyncDir(checkpointsDir);
  if (old) rmSync(old, { recursive: true, force: true });
  for (const { dir } of listCheckpoints(checkpointsDir).slice(0, -keep)) rmSync(dir, { recursive: true, force: true });
  return target;
}

/** Reads and verifies one checkpoint folder; every problem is an error naming the folder and file. */
export function readCheckpoint(dir: string): LoadedCheckpoint {
  const fail = (message: string): never => {
    throw new Error(`checkpoint ${dir}: ${message}; delete this folder to resume from an earlier checkpoint, or start a new run`);
  };
  const stateFile = path.join(dir, CHECKPOINT_FILES.state);
  if (!existsSync(stateFile)) fail(`no ${CHECKPOINT_FILES.state}`);
  let state: CheckpointState;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as CheckpointState;
  } catch (err) {
    return fail(`${CHECKPOINT_FILES.state} is not valid JSON (${(err as Error).message})`);
  }
  if (state.format !== CHECKPOINT_FORMAT) fail(`format ${state.format}, this trainer reads format ${CHECKPOINT_FORMAT}`);
  for (const file of [CHECKPOINT_FILES.weights, CHECKPOINT_FILES.optimizer, CHECKPOINT_FILES.ledger]) {
    const full = path.join(dir, file);
    if (!existsSync(full)) fail(`${file} is missing`);
    const actual = sha256(readFileSync(full));
    if (actual !== state.files?.[file]) fail(`${file} is corrupt (sha256 ${actual.slice(0, 12)}..., state.json records ${String(state.files?.[file]).slice(0, 12)}...)`);
  }
  return {
    dir,
    state,
    weights: readSafetensorsFile(path.join(dir, CHECKPOINT_FILES.weights)).tensors,
    optimizer: readSafetensorsFile(path.join(dir, CHECKPOINT_FILES.optimizer)).tensors,
  };
}

/** The newest checkpoint of a run, or an error saying there is none. */
export function readLatestCheckpoint(checkpointsDir: string): LoadedCheckpoint {
  const all = listCheckpoints(checkpointsDir);
  if (all.length === 0) throw new Error(`no checkpoint to resume from in ${checkpointsDir} (a run writes its first one after train.checkpointEvery steps)`);
  return readCheckpoint(all[all.length - 1]!.dir);
}
