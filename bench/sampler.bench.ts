/**
 * Sampler throughput: draws per second of MixtureSampler.next() (dataset choice, cursor, Feistel
 * record order) on the paper's mixture at about the real dataset sizes, single rank and as one of
 * 8 ranks (which walks all 8 ranks' dataset choices). Target: ≥ 1M draws/s single rank.
 * Reports wall-clock and CPU-time rates: on a shared machine the CPU rate is the stable one.
 */
import { parseMixtureConfig } from '../pipelines/mixture/config.ts';
import { feistelPermutation } from '../pipelines/mixture/permutation.ts';
import { buildMixturePlan } from '../pipelines/mixture/plan.ts';
import { MixtureSampler } from '../pipelines/mixture/sampler.ts';

/** Approximate training sizes (records) of the 13 held-in datasets. */
const SIZES = {
  'coco-caption': 566_747, 'web-capfilt': 13_873_136, textcaps: 109_765, vqav2: 443_757, okvqa: 9_009, aokvqa: 17_056,
  ocrvqa: 801_673, 'vqav2-qg': 443_757, 'okvqa-qg': 9_009, 'aokvqa-qg': 17_056,
  'llava-conversation': 56_681, 'llava-detail': 23_240, 'llava-reasoning': 76_643,
};
const plan = buildMixturePlan(parseMixtureConfig({ seed: 1 }, 'bench'), SIZES);

function measure(count: number, run: (count: number) => number): { wall: number; cpu: number } {
  run(Math.min(count, 200_000)); // warm-up: let the JIT settle before timing
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const checksum = run(count);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  if (!Number.isFinite(checksum)) throw new Error('checksum');
  return { wall: count / (wallMs / 1e3), cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

const drawWith = (options: { rank?: number; world?: number }) => (count: number) => {
  const sampler = new MixtureSampler(plan, options);
  let checksum = 0;
  for (let i = 0; i < count; i++) checksum += sampler.next().record;
  return checksum;
};

const permutation = feistelPermutation(SIZES['web-capfilt'], 7);
const rows: [string, { wall: number; cpu: number }][] = [
  ['draws, 1 rank', measure(3_000_000, drawWith({}))],
  ['draws, rank 7 of 8', measure(1_000_000, drawWith({ rank: 7, world: 8 }))],
  ['Feistel record order (13.9M records)', measure(3_000_000, (count) => {
    let checksum = 0;
    for (let i = 0; i < count; i++) checksum += permutation(i);
    return checksum;
  })],
];

const rate = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
console.log('| operation | wall-clock rate | CPU-time rate |');
console.log('| --- | --- | --- |');
for (const [name, { wall, cpu }] of rows) console.log(`| ${name} | ${rate(wall)} | ${rate(cpu)} |`);
