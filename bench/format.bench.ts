/**
 * Rendering throughput: training examples per second from records of all 13 held-in datasets in
 * equal numbers (LLaVA records yield one example per assistant turn), and evaluation prompts per
 * second over the 13 held-out datasets. No tokenization.
 */
import { HELD_IN_IDS, HELD_OUT_IDS } from '../pipelines/catalog.ts';
import { renderForEvaluation } from '../pipelines/format/eval.ts';
import { loadTemplateLibrary } from '../pipelines/format/templates.ts';
import { renderForTraining } from '../pipelines/format/train.ts';
import { fixtureRecord } from '../test/format/fixtures.ts';

const library = loadTemplateLibrary();
const RECORDS_PER_DATASET = 2000;
const training = HELD_IN_IDS.flatMap((id) => Array.from({ length: RECORDS_PER_DATASET }, (_, i) => fixtureRecord(id, {}, String(i))));
const evaluation = HELD_OUT_IDS.flatMap((id) => Array.from({ length: RECORDS_PER_DATASET }, (_, i) => fixtureRecord(id, {}, String(i))));

function measure(passes: number, run: (pass: number) => number): { perSecond: number; cpuPerSecond: number; count: number } {
  run(0); // warm-up
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let count = 0;
  for (let pass = 1; pass <= passes; pass++) count += run(pass);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  return { perSecond: count / (wallMs / 1e3), cpuPerSecond: count / ((cpu.user + cpu.system) / 1e6), count };
}

const rows = [
  ['training examples', measure(10, (epoch) => {
    let examples = 0;
    for (const record of training) examples += renderForTraining(record, library, { seed: 1, epoch }).length;
    return examples;
  })],
  ['evaluation prompts', measure(10, () => {
    for (const record of evaluation) renderForEvaluation(record, library);
    return evaluation.length;
  })],
] as const;

const rate = (x: number) => `${Math.round(x).toLocaleString('en-US')}/s`;
console.log('| rendering | count | wall-clock rate | CPU-time rate |');
console.log('| --- | --- | --- | --- |');
for (const [name, r] of rows) console.log(`| ${name} | ${r.count.toLocaleString('en-US')} | ${rate(r.perSecond)} | ${rate(r.cpuPerSecond)} |`);
