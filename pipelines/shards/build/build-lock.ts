/**
 * One build-shards at a time per shards folder: the lock file holds the owner's pid. A lock left
 * by a killed build (its pid no longer running) is taken over, so kill -9 never blocks a rerun.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';

const LOCK = '.build.lock';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireBuildLock(shardsDir: string): Promise<() => Promise<void>> {
  mkdirSync(shardsDir, { recursive: true });
  const file = path.join(shardsDir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && running(owner)) {
        throw new Error(`another build-shards (pid ${owner}) is writing ${shardsDir}; wait for it, or delete ${file} if that process is not a build`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`cannot take the build lock ${file}; delete it and retry`);
}
