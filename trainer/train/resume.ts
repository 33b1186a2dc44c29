/**
 * Whether a run may start or continue: a new run refuses a folder that already has checkpoints; a
 * resume refuses a changed config or changed shards unless forced, and says what changed.
 */
import { existsSync } from 'node:fs';
import type { CheckpointState } from './checkpoint.ts';
import { listCheckpoints } from './checkpoint.ts';
import type { TrainConfig } from './config.ts';
import type { DataFingerprint } from './data-fingerprint.ts';
import { jsonDifferences } from './json-diff.ts';

export function assertFreshRun(runDir: string, checkpointsDir: string): void {
  const existing = existsSync(checkpointsDir) ? listCheckpoints(checkpointsDir) : [];
  if (existing.length > 0) {
    throw new Error(`${runDir} already holds a run (checkpoints up to step ${existing[existing.length - 1]!.step}); continue it with --resume ${runDir}, or pick another --name, or delete the folder`);
  }
}

/** What differs between the checkpoint's config and data and the current ones (empty: nothing). */
export function resumeDifferences(state: CheckpointState, config: TrainConfig, data: DataFingerprint): { config: string[]; data: string[] } {
  return { config: jsonDifferences(state.config, config), data: jsonDifferences(state.data, data) };
}

/** Throws unless nothing changed or `force`; returns the warnings to print when forced. */
export function checkResumable(state: CheckpointState, config: TrainConfig, data: DataFingerprint, force: boolean): string[] {
  const diff = resumeDifferences(state, config, data);
  const lines = [
    ...diff.config.map((d) => `config changed: ${d}`),
    ...diff.data.map((d) => `data changed: ${d}`),
  ];
  if (lines.length === 0) return [];
  if (!force) {
    const shown = lines.slice(0, 20).join('\n  ');
    throw new Error(`cannot resume step ${state.step} exactly: the run's config or shards changed since the checkpoint:\n  ${shown}${lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : ''}\nRestore them, or pass --force to continue anyway (the result is then not the uninterrupted run).`);
  }
  return lines;
}
