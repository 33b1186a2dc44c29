/** `npm run ingest`: see pipelines/fetch/ingest-cli.ts for the options (or run with --help). */
import { runIngestCli } from '../fetch/ingest-cli.ts';

process.exitCode = await runIngestCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
