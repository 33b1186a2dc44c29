/**
 * The data lock (manifests/lock.json): one hash over everything that decides what a training run
 * sees (components.ts), plus each component's own hash and entries, so a difference can be named.
 * The file holds no time stamp: the same inputs always give the same bytes. The trainer records the
 * hash in each checkpoint and warns when training continues on data with another hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../util/atomic.ts';
import { canonicalJson, gatherLockComponents, LOCK_COMPONENTS, type LockComponent, type LockComponents, type LockSources } from './components.ts';

export const DATA_LOCK_FORMAT = 1;
export const DATA_LOCK_FILE = 'lock.json';

export interface DataLock {
  format: number;
  /** sha256 over the component hashes. */
  hash: string;
  componentHashes: Record<LockComponent, string>;
  components: LockComponents;
}

export interface LockChange {
  component: LockComponent;
  /** The entry: a file, a dataset, `config`. */
  name: string;
  change: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function computeDataLock(components: LockComponents): DataLock {
  const componentHashes = Object.fromEntries(LOCK_COMPONENTS.map((c) => [c, sha256(canonicalJson(components[c] ?? {}))])) as Record<LockComponent, string>;
  const hash = sha256(`data-lock/${DATA_LOCK_FORMAT}\n${LOCK_COMPONENTS.map((c) => `${c}=${componentHashes[c]}`).join('\n')}`);
  const sorted = Object.fromEntries(LOCK_COMPONENTS.map((c) => [c, JSON.parse(canonicalJson(components[c] ?? {}))])) as LockComponents;
  return { format: DATA_LOCK_FORMAT, hash, componentHashes, components: sorted };
}

/** Every entry that differs from `before` to `after`, component by component, names sorted. */
export function compareDataLock(before: DataLock, after: DataLock): LockChange[] {
  const changes: LockChange[] = [];
  for (const component of LOCK_COMPONENTS) {
    const a = before.components[component] ?? {};
    const b = after.components[component] ?? {};
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const was = Object.hasOwn(a, name) ? a[name] : null;
      const now = Object.hasOwn(b, name) ? b[name] : null;
      if (was === now) continue;
      changes.push({ component, name, change: was === null ? 'added' : now === null ? 'removed' : 'changed', before: was, after: now });
    }
  }
  return changes;
}

export function formatLockChanges(changes: readonly LockChange[]): string {
  if (changes.length === 0) return 'no changes';
  return changes.map((c) => `${c.component} ${c.change}: ${c.name}${c.change === 'changed' ? ` (${c.before} -> ${c.after})` : ''}`).join('\n');
}

/** The lock of the data as it is now, without writing it (the trainer's view). */
export async function currentDataLock(sources: LockSources): Promise<DataLock> {
  return computeDataLock(await gatherLockComponents(sources));
}

export const dataLockPath = (manifestsDir: string) => path.join(manifestsDir, DATA_LOCK_FILE);

/** Computes the lock and writes manifests/lock.json atomically; build-shards calls this last. */
export async function writeDataLock(sources: LockSources): Promise<DataLock> {
  const lock = await currentDataLock(sources);
  await writeJsonAtomic(dataLockPath(sources.manifestsDir), lock);
  return lock;
}

export function readDataLock(manifestsDir: string): DataLock | null {
  const file = dataLockPath(manifestsDir);
  if (!existsSync(file)) return null;
  let lock: DataLock;
  try {
    lock = JSON.parse(readFileSync(file, 'utf8')) as DataLock;
  } catch (err) {
    throw new Error(`${file}: cannot read the data lock (${(err as Error).message}); run npm run lock`);
  }
  if (lock.format !== DATA_LOCK_FORMAT) throw new Error(`${file}: data lock format ${lock.format}, expected ${DATA_LOCK_FORMAT}; run npm run lock`);
  return lock;
}
