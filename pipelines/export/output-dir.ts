/**
 * An export is written into a temporary sibling folder and renamed into place when complete, so a
 * folder under the export's name is always a finished export: a crash or an error leaves only a
 * `.tmp` folder (removed on error), never half an export that looks whole. An existing export of
 * the same name is replaced only after the new one is complete.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function writeDirAtomic<T>(dir: string, work: (tmpDir: string) => Promise<T>): Promise<T> {
  const target = path.resolve(dir);
  mkdirSync(path.dirname(target), { recursive: true });
  const suffix = randomBytes(6).toString('hex');
  const tmp = `${target}.${suffix}.tmp`;
  mkdirSync(tmp);
  let result: T;
  try {
    result = await work(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  if (existsSync(target)) {
    const old = `${target}.${suffix}.old.tmp`;
    await rename(target, old);
    await rename(tmp, target);
    await rm(old, { recursive: true, force: true });
  } else {
    await rename(tmp, target);
  }
  return result;
}
