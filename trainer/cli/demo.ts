/**
 * npm run demo (after the data steps in package.json): trains the demo configuration (stage 0 LM
 * first if it is not cached), evaluates held-in exact match against the shuffled-image baseline and
 * writes runs/demo/report.html. With --ablations it also trains and evaluates the instruction-agnostic
 * Q-Former (BLIP-2 style) and the proportional mixture, and the report compares the three.
 *
 *   tsx trainer/cli/demo.ts [--config trainer/configs/demo.json] [--ablations] [--steps N] [--examples N]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { evaluateRun } from '../demo/evaluate-run.ts';
import { curvePoints, formatCurve } from '../demo/learning-curve.ts';
import { listCheckpoints } from '../train/checkpoint.ts';
import { loadTrainConfig, type TrainConfig } from '../train/config.ts';
import { readMetrics } from '../train/metrics.ts';
import { ALL_SECTIONS } from '../train/report/all-sections.ts';
import { writeReport } from '../train/report/report.ts';
import { RUN_FILES, train } from '../train/train.ts';

interface Variant {
  name: string;
  config: TrainConfig;
}

function variants(base: TrainConfig, ablations: boolean): Variant[] {
  const main = { name: base.name, config: base };
  if (!ablations) return [main];
  return [
    main,
    { name: `${base.name}-agnostic`, config: { ...base, model: { ...base.model, qformer: { ...base.model.qformer, instructionAware: false } } } },
    { name: `${base.name}-proportional`, config: { ...base, mixture: { ...base.mixture, policy: 'proportional' } } },
  ];
}

/** Trains a variant, continuing an interrupted run and skipping a finished one. */
async function trainVariant(runDir: string, config: TrainConfig): Promise<void> {
  const done = listCheckpoints(path.join(runDir, 'checkpoints'));
  const last = done[done.length - 1]?.step ?? 0;
  if (last >= config.train.steps) {
    console.log(`${runDir}: already trained (${last} steps)`);
    return;
  }
  await train({ config, runDir, resume: last > 0, force: false });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'trainer/configs/demo.json' },
      ablations: { type: 'boolean', default: false },
      steps: { type: 'string' },
      examples: { type: 'string', default: '60' },
      'runs-dir': { type: 'string', default: 'runs' },
    },
    strict: true,
  });
  const started = performance.now();
  let base = loadTrainConfig(values.config);
  if (values.steps !== undefined) base = { ...base, train: { ...base.train, steps: Number(values.steps) } };
  const runs = variants(base, values.ablations);
  for (const { name, config } of runs) {
    const runDir = path.join(values['runs-dir'], name);
    await trainVariant(runDir, config);
    console.log(`${name}: learning curve (${config.train.steps} steps)`);
    for (const line of formatCurve(curvePoints(readMetrics(path.join(runDir, RUN_FILES.metrics)), 12))) console.log(`  ${line}`);
    const result = await evaluateRun(runDir, config, { examplesPerDataset: Number(values.examples), log: (line) => console.log(line) });
    console.log(`${name}: held-in exact match ${result.realMean.toFixed(3)} with its own images, ${result.shuffledMean.toFixed(3)} with shuffled images (no-image baseline)`);
    for (const [dataset, a] of Object.entries(result.real)) console.log(`  ${dataset}: ${(a.correct / a.total).toFixed(2)} vs ${(result.shuffled[dataset]!.correct / result.shuffled[dataset]!.total).toFixed(2)} (${a.total} examples)`);
  }
  const mainDir = path.join(values['runs-dir'], runs[0]!.name);
  const report = await writeReport(mainDir, { compareWith: runs.slice(1).map((r) => path.join(values['runs-dir'], r.name)), sections: ALL_SECTIONS });
  console.log(`demo: report ${report}; ${((performance.now() - started) / 1000).toFixed(0)} s for training and evaluation`);
}

main().catch((err: Error) => {
  console.error(`demo: ${err.message}`);
  process.exitCode = 1;
});
