/**
 * `npm run build-shards`: the build (options in pipelines/shards/build/build-cli.ts, or run with
 * --help), then, when every chosen dataset built or was up to date, manifests/lock.json for the data
 * as built, recording the mixture of `--mixture <config.json>` (default: the demo preset). The lock
 * is written atomically after the manifests; a failed or interrupted build writes none, so the
 * previous lock no longer matches the manifests and `npm run lock -- --check` says what changed.
 * The lock step is handed to build-cli rather than imported there: pipelines/lock reads templates
 * and mixtures, which sit downstream of the shards.
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_LOCK_MIXTURE, lockMixtureConfig, writeDataLockReport } from '../lock/write-lock.ts';
import { type AfterBuild, type BuildCliIo, runBuildShardsCli } from '../shards/build/build-cli.ts';

export const LOCK_USAGE = `After a successful build, writes manifests/lock.json (the data lock, as npm run lock does):

  --mixture CONFIG      trainer config whose mixture the lock records (default: ${DEFAULT_LOCK_MIXTURE})
`;

/** The lock step for build-cli: the mixture is checked before the build, the lock written after it. */
function lockStep(io: BuildCliIo): AfterBuild {
  let mixtureConfig: string | undefined;
  return {
    options: ['mixture'],
    usage: LOCK_USAGE,
    check: (values) => {
      mixtureConfig = lockMixtureConfig(values.mixture);
    },
    async run(_values, dirs) {
      try {
        await writeDataLockReport({ ...dirs, mixtureConfig }, (line) => io.stdout.write(`${line}\n`));
        return 0;
      } catch (err) {
        io.stderr.write(`build-shards: the data lock: ${(err as Error).message}\n`);
        return 1;
      }
    },
  };
}

export function runBuildShardsAndLock(argv: string[], io: BuildCliIo): Promise<number> {
  return runBuildShardsCli(argv, { ...io, afterBuild: lockStep(io) });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runBuildShardsAndLock(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
