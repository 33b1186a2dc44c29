/**
 * Runs the benchmarks: every bench/<name>.bench.ts, or those named on the command line
 * (`npm run bench -- shards sampler`), each in its own process so peak memory is its own.
 * Each benchmark prints its own results; record them in BENCHMARKS.md with this command.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n## ${name}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(benchDir, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${run.status})`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
