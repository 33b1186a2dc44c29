/** `npm run build-shards`: see pipelines/shards/build/build-cli.ts for the options (or run with --help). */
import { runBuildShardsCli } from '../shards/build/build-cli.ts';

process.exitCode = await runBuildShardsCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
