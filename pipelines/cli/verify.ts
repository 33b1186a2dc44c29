/**
 * `npm run verify`: re-hashes every shard and media part against its manifest and opens it with
 * the reader. Exits 1 listing every file that does not match.
 *
 *   npm run verify -- [--shards-dir shards] [--manifests-dir manifests] [--json]
 */
import { parseArgs } from 'node:util';
import { formatBytes } from '../fetch/units.ts';
import { verifyShards } from '../shards/verify.ts';

const { values } = parseArgs({
  options: {
    'shards-dir': { type: 'string', default: 'shards' },
    'manifests-dir': { type: 'string', default: 'manifests' },
    json: { type: 'boolean', default: false },
  },
});
const report = await verifyShards({ shardsDir: values['shards-dir'], manifestsDir: values['manifests-dir'] });
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  for (const note of report.notes) console.log(`note: ${note}`);
  for (const p of report.problems) console.log(`MISMATCH ${p.file}: ${p.problem}`);
  const checked = `${report.datasets} dataset(s), ${report.shards} shard(s), ${report.mediaParts} media part(s), ${formatBytes(report.bytes)}`;
  console.log(report.problems.length === 0 ? `verify: ok (${checked})` : `verify: ${report.problems.length} problem(s) in ${checked}`);
}
process.exitCode = report.problems.length === 0 ? 0 : 1;
