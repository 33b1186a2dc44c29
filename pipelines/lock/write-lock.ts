/**
 * Writing manifests/lock.json from a command: `npm run lock`, and build-shards after a successful
 * build. Both record the same mixture by default and report changes the same way, so a lock written
 * by either one passes `npm run lock -- --check` right after.
 */
import { existsSync } from 'node:fs';
import { loadMixtureConfig } from '../mixture/index.ts';
import type { LockSources } from './components.ts';
import { compareDataLock, type DataLock, dataLockPath, formatLockChanges, readDataLock, writeDataLock } from './data-lock.ts';

export const DEFAULT_LOCK_MIXTURE = 'trainer/configs/demo.json';

/**
 * The trainer config whose mixture a lock records: the one named (validated now, so a bad config
 * fails before any work), else the demo preset when it is there.
 */
export function lockMixtureConfig(named: string | undefined): string | undefined {
  if (named !== undefined) {
    loadMixtureConfig(named);
    return named;
  }
  return existsSync(DEFAULT_LOCK_MIXTURE) ? DEFAULT_LOCK_MIXTURE : undefined;
}

/** Writes the lock (atomically) and logs its hash and what changed since the previous lock. */
export async function writeDataLockReport(sources: LockSources, log: (line: string) => void): Promise<DataLock> {
  let previous: DataLock | null = null;
  try {
    previous = readDataLock(sources.manifestsDir);
  } catch {
    // A lock this version cannot read (another format) is replaced, not compared: the new one describes the data as it is.
    log(`${dataLockPath(sources.manifestsDir)}: the previous lock is not readable by this version; replaced without comparing`);
  }
  const lock = await writeDataLock(sources);
  log(`data lock ${lock.hash} written to ${dataLockPath(sources.manifestsDir)} (mixture: ${sources.mixtureConfig ?? 'none'})`);
  if (previous) log(previous.hash === lock.hash ? 'unchanged' : `changed since the previous lock ${previous.hash}:\n${formatLockChanges(compareDataLock(previous, lock))}`);
  return lock;
}
