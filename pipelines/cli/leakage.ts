/** npm run leakage: which held-out evaluation images also occur in held-in training data. */
import { parseArgs } from 'node:util';
import { formatLeakageReport } from '../leakage/format-report.ts';
import { NEAR_DUPLICATE_BITS } from '../leakage/overlap.ts';
import { runLeakageReport } from '../leakage/run.ts';

const USAGE = `Usage: npm run leakage -- [options]
  --shards-dir DIR      built shards and media store (default: shards)
  --manifests-dir DIR   manifests (default: manifests); the report is saved there as leakage.json
  --threshold BITS      near-duplicate Hamming threshold on 64-bit perceptual hashes (default: ${NEAR_DUPLICATE_BITS})
  --json                print the report as JSON`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'shards-dir': { type: 'string', default: 'shards' },
      'manifests-dir': { type: 'string', default: 'manifests' },
      threshold: { type: 'string', default: String(NEAR_DUPLICATE_BITS) },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const threshold = Number(values.threshold);
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 64) {
    console.error(`--threshold must be a whole number of bits from 0 to 64, not "${values.threshold}"`);
    return 2;
  }
  const { report, notBuilt, file } = await runLeakageReport({ shardsDir: values['shards-dir'], manifestsDir: values['manifests-dir'] }, threshold);
  console.log(values.json ? JSON.stringify({ notBuilt, ...report }, null, 2) : `${formatLeakageReport(report, notBuilt)}\n\nsaved to ${file}`);
  return 0;
}

main().then((code) => process.exit(code), (err: Error) => {
  console.error(`leakage: ${err.message}`);
  process.exit(1);
});
