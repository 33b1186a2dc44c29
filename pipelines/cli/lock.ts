/**
 * `npm run lock [-- --mixture trainer/configs/demo.json] [--check] [--manifests DIR] [--shards DIR] [--templates DIR]`
 *
 * Writes manifests/lock.json, the data lock (pipelines/lock/data-lock.ts), and says what changed
 * since the previous one; build-shards writes the same lock after each successful build. With --check it writes nothing and exits 1 when the data no longer
 * matches the lock. The mixture locked is the demo preset's unless --mixture names another config.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compareDataLock, currentDataLock, dataLockPath, formatLockChanges, readDataLock } from '../lock/data-lock.ts';
import { lockMixtureConfig, writeDataLockReport } from '../lock/write-lock.ts';

export async function runLockCli(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      mixture: { type: 'string' },
      check: { type: 'boolean', default: false },
      manifests: { type: 'string', default: 'manifests' },
      shards: { type: 'string', default: 'shards' },
      templates: { type: 'string' },
    },
  });
  const sources = { manifestsDir: values.manifests!, shardsDir: values.shards!, templatesDir: values.templates, mixtureConfig: lockMixtureConfig(values.mixture) };
  if (values.check) {
    const previous = readDataLock(sources.manifestsDir);
    if (!previous) {
      log(`no data lock at ${dataLockPath(sources.manifestsDir)}; run npm run lock`);
      return 1;
    }
    const changes = compareDataLock(previous, await currentDataLock(sources));
    log(changes.length === 0 ? `data matches the lock ${previous.hash}` : `data differs from the lock ${previous.hash}:\n${formatLockChanges(changes)}`);
    return changes.length === 0 ? 0 : 1;
  }
  await writeDataLockReport(sources, log);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLockCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (err: Error) => {
    console.error(`lock: ${err.message}`);
    process.exitCode = 1;
  });
}
