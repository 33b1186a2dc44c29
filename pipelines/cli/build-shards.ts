/**
 * `npm run build-shards`: the build (options in pipelines/shards/build/build-cli.ts, or run with
 * --help), then, when every chosen dataset built or was up to date, manifests/lock.json for the data
 * as built, recording the mixture of `--mixture <config.json>` (default: the demo preset). The lock
 * is written atomically after the manifests; a failed or interrupted build writes none, so the
 * previous lock no longer matches the manifests and `npm run lock -- --check` says what changed.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LOCK_MIXTURE, lockMixtureConfig, writeDataLockReport } from '../lock/write-lock.ts';
import { BUILD_USAGE, type BuildCliIo, runBuildShardsCli } from '../shards/build/build-cli.ts';

export const LOCK_USAGE = `After a successful build, writes manifests/lock.json (the data lock, as npm run lock does):

  --mixture CONFIG      trainer config whose mixture the lock records (default: ${DEFAULT_LOCK_MIXTURE})
`;

/** Splits out what the lock needs; everything else goes to build-cli, which parses its options strictly. */
function lockOptions(argv: string[]) {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: false,
    tokens: true,
    options: {
      mixture: { type: 'string' },
      'shards-dir': { type: 'string', default: 'shards' },
      'manifests-dir': { type: 'string', default: 'manifests' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const taken = new Set(tokens.flatMap((t) => (t.kind === 'option' && t.name === 'mixture' ? (t.inlineValue === false ? [t.index, t.index + 1] : [t.index]) : [])));
  return { values, buildArgv: argv.filter((_, i) => !taken.has(i)) };
}

export async function runBuildShardsAndLock(argv: string[], io: BuildCliIo): Promise<number> {
  const { values, buildArgv } = lockOptions(argv);
  let mixtureConfig: string | undefined;
  try {
    if (values.mixture !== undefined && typeof values.mixture !== 'string') throw new Error('--mixture needs a trainer config file');
    mixtureConfig = lockMixtureConfig(values.mixture);
  } catch (err) {
    io.stderr.write(`build-shards: ${(err as Error).message}\n\n${BUILD_USAGE}\n${LOCK_USAGE}`);
    return 2;
  }
  const code = await runBuildShardsCli(buildArgv, io);
  if (values.help) io.stdout.write(`\n${LOCK_USAGE}`);
  if (code !== 0 || values.help) return code;
  const sources = { manifestsDir: String(values['manifests-dir']), shardsDir: String(values['shards-dir']), mixtureConfig };
  try {
    await writeDataLockReport(sources, (line) => io.stdout.write(`${line}\n`));
    return 0;
  } catch (err) {
    io.stderr.write(`build-shards: the data lock: ${(err as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runBuildShardsAndLock(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
