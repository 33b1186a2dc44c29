/**
 * Regenerates a source's sample mirror: the source's make-sample.ts writes into a fresh temporary
 * folder beside the target, SHA256SUMS is added, and only then is the folder swapped in, so a
 * crash or an exception never leaves a half-written mirror behind.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SOURCES_DIR } from '../sources/registry.ts';
import type { SampleMaker, SampleOptions } from '../sources/types.ts';
import { writeSha256Sums } from './sha256sums.ts';

/** Every source folder with a make-sample.ts, whether or not its adapter exists yet. */
export function sampleSourceIds(): string[] {
  return readdirSync(SOURCES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(SOURCES_DIR, d.name, 'make-sample.ts')))
    .map((d) => d.name)
    .sort();
}

/** Replaces `target` by `fresh`; the old folder is removed only once the new one is in place. */
function swapIn(fresh: string, target: string): void {
  const old = `${target}.${randomBytes(4).toString('hex')}.old.tmp`;
  const hadOld = existsSync(target);
  if (hadOld) renameSync(target, old);
  try {
    renameSync(fresh, target);
  } catch (err) {
    if (hadOld) renameSync(old, target);
    throw err;
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

export async function makeMirror(makeSample: SampleMaker, target: string, options: SampleOptions): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  // The `.tmp` suffix keeps an interrupted run's folder out of git (.gitignore has *.tmp).
  const fresh = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(fresh);
    await makeSample(fresh, options);
    writeSha256Sums(fresh);
    swapIn(fresh, target);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}
