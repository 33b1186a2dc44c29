/**
 * build-shards at VQAv2 scale: 443,757 train questions with ten answers each, in the official
 * files (v2_OpenEnded_mscoco_train2014_questions.json, v2_mscoco_train2014_annotations.json),
 * plus a small val split, read by the real vqav2 adapter; each question gives a vqav2 and a
 * vqav2-qg record. Images are 100 real JPEGs in raw/coco/train2014.zip, reused, so media dedupe
 * keeps image work small and the run measures the record path.
 *
 * Beside it, measured in the same run:
 * - the floor: JSON.parse of the same four files, plus writing the same Arrow bytes (every shard
 *   and media part the build wrote, copied from memory, synced like the build syncs them);
 * - the adapter alone: its streaming parse and join, records counted and dropped.
 * Build and floor alternate BENCH_RUNS times (default 3); the table shows the fastest run of each
 * and lists every run's wall time. Each phase runs in its own child process, so its peak RSS is its own. Rates are per wall-clock
 * second and per CPU second of the process (worker threads included); on a shared machine the CPU
 * figures are the stable ones. Targets: build within 2x of the floor, peak RSS under 3x the input.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { writeZip } from '../pipelines/sample/zip-writer.ts';
import { runBuildShardsCli } from '../pipelines/shards/build/build-cli.ts';
import { loadAdapter } from '../pipelines/sources/registry.ts';
import { rng } from '../pipelines/util/random.ts';

/** BENCH_QUESTIONS shrinks the run for a quick check; the recorded numbers use the real count. */
const TRAIN_QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 443_757);
const VAL_QUESTIONS = 2_000;
const IMAGES = 100;
/**
 * Build and floor run alternately this many times and the fastest run of each is compared: on a
 * shared machine one run of either can lose seconds to other work, and alternating keeps both
 * exposed to the same conditions.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const QUESTIONS_FILE = { train: 'v2_OpenEnded_mscoco_train2014_questions.json', val: 'v2_OpenEnded_mscoco_val2014_questions.json' };
const ANNOTATIONS_FILE = { train: 'v2_mscoco_train2014_annotations.json', val: 'v2_mscoco_val2014_annotations.json' };

interface PhaseResult {
  wallSeconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  records: number;
  detail?: Record<string, number>;
}

const self = fileURLToPath(import.meta.url);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;

function cocoName(split: 'train' | 'val', imageId: number): string {
  return `${split}2014/COCO_${split}2014_${String(imageId).padStart(12, '0')}.jpg`;
}

async function photo(seed: number): Promise<Buffer> {
  const next = rng(seed);
  const grid = Buffer.from(Array.from({ length: 8 * 6 * 3 }, () => Math.floor(next() * 256)));
  return sharp(grid, { raw: { width: 8, height: 6, channels: 3 } }).resize(640, 480, { fit: 'fill', kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer();
}

const NOUNS = ['umbrella', 'dog', 'bus', 'man', 'plate', 'kite', 'train', 'cat', 'sign', 'pizza', 'table', 'woman', 'bike', 'clock'];
const COLORS = ['red', 'blue', 'white', 'black', 'green', 'yellow', 'brown', 'gray'];
/** question_type, answer_type, question for a noun and a colour, the answers annotators pick from. */
const TYPES: [string, string, (noun: string, color: string) => string, string[]][] = [
  ['what color is the', 'other', (noun) => `What color is the ${noun}?`, COLORS],
  ['how many', 'number', (noun) => `How many ${noun}s are in the picture?`, ['1', '2', '3', '4']],
  ['is the', 'yes/no', (noun, color) => `Is the ${noun} ${color}?`, ['yes', 'no']],
  ['what is the', 'other', (noun) => `What is the ${noun} on the left made of?`, ['wood', 'metal', 'plastic', 'glass']],
];

/** Writes the official pair of files for one split, streamed, with the real field layout. */
async function writeSplit(dir: string, split: 'train' | 'val', count: number): Promise<void> {
  const next = rng(split === 'train' ? 1 : 2);
  const questions = await open(path.join(dir, QUESTIONS_FILE[split]), 'w');
  const annotations = await open(path.join(dir, ANNOTATIONS_FILE[split]), 'w');
  const header = { info: { description: 'generated for the build-vqav2 benchmark' }, license: { name: 'CC BY 4.0' }, data_subtype: `${split}2014` };
  await questions.write(`${JSON.stringify(header).slice(0, -1)},"task_type":"Open-Ended","data_type":"mscoco","questions":[`);
  await annotations.write(`${JSON.stringify(header).slice(0, -1)},"data_type":"mscoco","annotations":[`);
  let q: string[] = [];
  let a: string[] = [];
  for (let i = 0; i < count; i++) {
    const imageId = 1 + (i % IMAGES);
    const questionId = imageId * 1_000_000 + i;
    const [questionType, answerType, ask, pool] = TYPES[Math.floor(next() * TYPES.length)];
    const question = ask(NOUNS[Math.floor(next() * NOUNS.length)], COLORS[Math.floor(next() * COLORS.length)]);
    const answers = Array.from({ length: 10 }, (_, k) => ({
      answer: pool[Math.floor(next() * next() * pool.length)], answer_confidence: ['yes', 'yes', 'maybe', 'no'][Math.floor(next() * 4)], answer_id: k + 1,
    }));
    q.push(JSON.stringify({ image_id: imageId, question, question_id: questionId }));
    a.push(JSON.stringify({
      question_type: questionType, multiple_choice_answer: answers[0].answer, answers, image_id: imageId, answer_type: answerType, question_id: questionId,
    }));
    if (q.length === 5000 || i === count - 1) {
      await questions.write((i < 5000 ? '' : ',') + q.join(','));
      await annotations.write((i < 5000 ? '' : ',') + a.join(','));
      q = [];
      a = [];
    }
  }
  await questions.write(']}');
  await annotations.write(']}');
  await questions.close();
  await annotations.close();
}

async function makeInputs(rawDir: string): Promise<number> {
  const vqa = path.join(rawDir, 'vqav2');
  mkdirSync(vqa, { recursive: true });
  await writeSplit(vqa, 'train', TRAIN_QUESTIONS);
  await writeSplit(vqa, 'val', VAL_QUESTIONS);
  const jpegs = await Promise.all(Array.from({ length: IMAGES }, (_, i) => photo(i)));
  await writeZip(path.join(rawDir, 'coco', 'train2014.zip'), jpegs.map((data, i) => ({ name: cocoName('train', i + 1), data })));
  await writeZip(path.join(rawDir, 'coco', 'val2014.zip'), jpegs.slice(0, 10).map((data, i) => ({ name: cocoName('val', 1_000_000 + i), data })));
  return [...Object.values(QUESTIONS_FILE), ...Object.values(ANNOTATIONS_FILE)].reduce((n, f) => n + statSync(path.join(vqa, f)).size, 0);
}

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath, e.name));
}

async function timed(work: () => Promise<number>, detail?: () => Record<string, number>): Promise<PhaseResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const records = await work();
  const wallSeconds = (performance.now() - started) / 1e3;
  const used = process.cpuUsage(cpu);
  return { wallSeconds, cpuSeconds: (used.user + used.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, records, detail: detail?.() };
}

/** Child process phases. */
async function phase(name: string, root: string): Promise<PhaseResult> {
  const rawDir = path.join(root, 'raw');
  const shardsDir = path.join(root, 'shards');
  if (name === 'build') {
    const adapters = [await loadAdapter('vqav2'), await loadAdapter('coco')];
    return timed(async () => {
      const sink = { write: () => true } as unknown as NodeJS.WritableStream;
      const code = await runBuildShardsCli(['--datasets', 'vqav2,vqav2-qg', '--raw-dir', rawDir, '--shards-dir', shardsDir, '--manifests-dir', path.join(root, 'manifests')],
        { stdout: sink, stderr: process.stderr, loadAdapters: async () => adapters });
      if (code !== 0) throw new Error(`build-shards exited ${code}`);
      const index = JSON.parse(readFileSync(path.join(root, 'manifests', 'index.json'), 'utf8')) as { datasets: { records: Record<string, number> }[] };
      return index.datasets.reduce((n, d) => n + Object.values(d.records).reduce((a, b) => a + b, 0), 0);
    });
  }
  if (name === 'adapter') {
    const adapter = await loadAdapter('vqav2');
    const { RawAccess } = await import('../pipelines/raw/access.ts');
    return timed(async () => {
      let records = 0;
      for await (const out of adapter.read(RawAccess.under(rawDir))) if ('record' in out) records++;
      return records;
    });
  }
  const vqa = path.join(rawDir, 'vqav2');
  const parts = files(shardsDir, '.arrow').map((f) => readFileSync(f));
  const outDir = path.join(root, 'floor');
  mkdirSync(outDir, { recursive: true });
  let parseSeconds = 0;
  return timed(async () => {
    const started = performance.now();
    let records = 0;
    for (const split of ['train', 'val'] as const) {
      records += (JSON.parse(readFileSync(path.join(vqa, QUESTIONS_FILE[split]), 'utf8')) as { questions: unknown[] }).questions.length;
      JSON.parse(readFileSync(path.join(vqa, ANNOTATIONS_FILE[split]), 'utf8'));
    }
    parseSeconds = (performance.now() - started) / 1e3;
    for (const [i, bytes] of parts.entries()) {
      const fh = await open(path.join(outDir, `copy-${i}.arrow`), 'w');
      await fh.writeFile(bytes);
      await fh.sync();
      await fh.close();
    }
    return records * 2;
  }, () => ({ parseSeconds, arrowBytes: parts.reduce((n, p) => n + p.length, 0) }));
}

/** The run with the least wall time, with the largest peak RSS of all runs. */
function fastest(runs: PhaseResult[]): PhaseResult {
  const best = runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  return { ...best, maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes)) };
}

const walls = (runs: PhaseResult[]) => runs.map((r) => `${r.wallSeconds.toFixed(1)} s`).join(', ');

/**
 * Node flags of every phase: `npm run build-shards` gives the young generation 64 MB semi-spaces
 * (package.json), where records in flight die instead of being copied to the old generation; the
 * floor and the adapter get the same.
 */
const NODE_FLAGS = ['--max-old-space-size=8192', '--max-semi-space-size=64'];

function runPhase(name: string, root: string): PhaseResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', ...NODE_FLAGS, self, '--phase', name, root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`phase ${name} failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as PhaseResult;
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'build-vqav2-bench-'));
  try {
    const started = performance.now();
    const inputBytes = await makeInputs(path.join(root, 'raw'));
    console.log(`inputs: ${TRAIN_QUESTIONS.toLocaleString('en-US')} + ${VAL_QUESTIONS.toLocaleString('en-US')} questions, 10 answers each, ${mb(inputBytes)} of JSON, ${IMAGES} JPEGs (generated in ${((performance.now() - started) / 1e3).toFixed(1)} s)\n`);
    const loadBefore = loadavg()[0];
    const builds: PhaseResult[] = [];
    const floors: PhaseResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      rmSync(path.join(root, 'shards'), { recursive: true, force: true });
      rmSync(path.join(root, 'manifests'), { recursive: true, force: true });
      builds.push(runPhase('build', root));
      floors.push(runPhase('floor', root));
    }
    const adapter = runPhase('adapter', root);
    const loadAfter = loadavg()[0];
    const build = fastest(builds);
    const floor = fastest(floors);
    const parse = floor.detail!.parseSeconds;
    const rows: string[][] = [
      ['floor: JSON.parse of the 4 files + write the same Arrow bytes', floor, `parse ${parse.toFixed(1)} s, write ${mb(floor.detail!.arrowBytes)} ${(floor.wallSeconds - parse).toFixed(1)} s; runs ${walls(floors)}`],
      ['vqav2 adapter alone (streaming parse + join)', adapter, ''],
      ['build-shards vqav2 + vqav2-qg', build, `${(build.wallSeconds / floor.wallSeconds).toFixed(2)}x floor wall, ${(build.cpuSeconds / floor.cpuSeconds).toFixed(2)}x floor CPU; RSS ${(build.maxRssBytes / inputBytes).toFixed(2)}x input; runs ${walls(builds)}`],
    ].map(([label, r, note]) => {
      const p = r as PhaseResult;
      return [label as string, p.records.toLocaleString('en-US'), `${p.wallSeconds.toFixed(1)} s`, rate(p.records, p.wallSeconds), `${p.cpuSeconds.toFixed(1)} s`, rate(p.records, p.cpuSeconds), mb(p.maxRssBytes), note as string];
    });
    console.log('| phase | records | wall | records/s (wall) | CPU | records/s (CPU) | peak RSS | notes |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    console.log(`\ninput ${mb(inputBytes)}; targets: build within 2x of the floor, peak RSS under 3x the input (${mb(3 * inputBytes)})`);
    // Other work on the machine slows the phases unevenly: wall-clock ratios are only as good as this.
    console.log(`load average (1 min) ${loadBefore.toFixed(1)} before the phases, ${loadAfter.toFixed(1)} after`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--phase');
if (at >= 0) console.log(JSON.stringify(await phase(process.argv[at + 1], process.argv[at + 2])));
else await main();
