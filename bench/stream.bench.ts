/**
 * The training stream's throughput on built shards (test/stream/fixture.ts: the 13 held-in
 * datasets, 400 records each, 448 px JPEG scenes in the media store):
 * - examples read, rendered and tokenized per second without images, with the tokenizer calls
 *   memoized as the stream does and without;
 * - images read from the media store, decoded, resized to 224 and normalized per second on the
 *   worker pool (one worker per core), as the stream does it: decodeBatchFrames over batches of 16
 *   images, 4 batches in flight, each batch's pixel array given back for reuse once used, as the
 *   trainer gives back the stream's (and, for comparison, with a new array per batch);
 * - whole batches (16 examples, 224 px) per second through createTrainingStream, released after use;
 * - the main thread's GC pauses per item (V8 counts each new pixel array towards its next full
 *   collection, so at loader speed those pauses are a visible share);
 * - peak resident memory, and the load average (the machine's other work) before and after.
 * Rates are given per wall-clock second and per CPU second of the whole process (workers
 * included): on a machine shared with other work the CPU rate is the stable number, and the
 * wall-clock rate on free cores approaches CPU rate x busy threads.
 * Tokenizers: bert-base-uncased WordPiece for the Q-Former; for the LM the same vocabulary stands
 * in, cached per whole text as a BPE tokenizer (whose tokens carry their leading space) would be,
 * and, in a second row, per word as a WordPiece LM tokenizer is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { HELD_IN_IDS } from '../pipelines/catalog.ts';
import { loadTemplateLibrary, PAPER_TOKEN_LIMITS, type TokenEncoder } from '../pipelines/format/index.ts';
import { buildMixturePlan, MixtureSampler, parseMixtureConfig } from '../pipelines/mixture/index.ts';
import { loadLocators, trainingSizes } from '../pipelines/stream/dataset-locators.ts';
import { createTrainingStream, decodeBatchFrames, type ExampleProvenance, PixelBuffers, PixelPool, type StreamTokenizers } from '../pipelines/stream/index.ts';
import { MediaSource } from '../pipelines/stream/media-source.ts';
import { memoizedEncode } from '../pipelines/stream/memo-encoder.ts';
import { type ExampleContext, prepareExample } from '../pipelines/stream/prepare-example.ts';
import { RecordSource } from '../pipelines/stream/record-source.ts';
import { buildFixture } from '../test/stream/fixture.ts';
import { bertQFormerTokenizer } from '../test/stream/tokenizers.ts';

const RECORDS = 400;
const root = mkdtempSync(path.join(tmpdir(), 'stream-bench-'));
const rows: string[][] = [];
const loadBefore = loadavg();
const perSecond = (count: number, seconds: number) => `${Math.round(count / seconds).toLocaleString('en-US')}/s`;

let gcPauseMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauseMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** Runs `work`, then adds a row with its wall-clock and CPU-time rates and the main thread's GC pauses per item. */
async function measure(label: string, count: number, work: () => Promise<void>, unit = ''): Promise<void> {
  const cpu = process.cpuUsage();
  const gcBefore = gcPauseMs;
  const started = performance.now();
  await work();
  const wall = (performance.now() - started) / 1e3;
  const used = process.cpuUsage(cpu);
  await new Promise(setImmediate); // GC entries arrive after the pause that made them
  rows.push([
    label, count.toLocaleString('en-US'), perSecond(count, wall) + unit, perSecond(count, (used.user + used.system) / 1e6) + unit,
    `${Math.round((1e3 * (gcPauseMs - gcBefore)) / count)} µs`,
  ]);
}

try {
  const fixture = await buildFixture(root, {
    datasets: Object.fromEntries(HELD_IN_IDS.map((id) => [id, RECORDS])), batchRows: 256, partBytes: 1 << 20, scenes: 48, sceneCells: 28, heldOutRecords: 0,
  });
  const config = parseMixtureConfig({ seed: 7 }, 'bench');
  const locators = loadLocators(fixture.manifestsDir, config.datasets);
  const plan = buildMixturePlan(config, trainingSizes(locators));
  const bert = bertQFormerTokenizer();
  const tokenizers: StreamTokenizers = { qformer: bert, lm: { ...bert, splitsOnWhitespace: false, bosId: 101, eosId: 102, padId: 0 } };
  const templates = loadTemplateLibrary();

  async function textOnly(label: string, qformer: TokenEncoder, lm: TokenEncoder, draws: number): Promise<void> {
    const records = new RecordSource(fixture.shardsDir);
    const ctx: ExampleContext = { locators, records, templates, limits: PAPER_TOKEN_LIMITS, seed: plan.seed, encoders: { tokenizers, qformer, lm } };
    const sampler = new MixtureSampler(plan);
    for (let i = 0; i < 2000; i++) await prepareExample(sampler.next(), ctx); // warm-up: caches, JIT
    await measure(label, draws, async () => {
      for (let i = 0; i < draws; i++) await prepareExample(sampler.next(), ctx);
    });
    await records.close();
  }

  await textOnly('examples read + rendered + tokenized, memoized (the stream; LM cached per text)', { encode: memoizedEncode(tokenizers.qformer) }, { encode: memoizedEncode(tokenizers.lm) }, 60_000);
  await textOnly('same, LM WordPiece too (cached per word)', { encode: memoizedEncode(tokenizers.qformer) }, { encode: memoizedEncode(bert) }, 60_000);
  await textOnly('examples read + rendered + tokenized, tokenizers uncached', tokenizers.qformer, tokenizers.lm, 5_000);
  await textOnly('examples read + rendered, tokenization free (loader overhead)', { encode: () => [1] }, { encode: () => [1] }, 60_000);

  const media = await MediaSource.open(fixture.shardsDir);
  const pool = new PixelPool();
  const keys = [...new Set([...fixture.records.values()].flatMap((list) => list.map((r) => r.images[0])))];
  const example: ExampleProvenance = {
    n: 0, dataset: 'bench', record: 0, recordId: 'bench', epoch: 0, templateId: 'bench', exampleIndex: 0, exampleCount: 1, images: [],
    truncated: { qformerInstruction: 0, lmInstruction: 0, target: 0 },
  };
  const decodeAll = async (batches: number, buffers?: PixelBuffers) => {
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < batches) {
        const first = 16 * next++;
        const batch = await decodeBatchFrames(Array.from({ length: 16 }, (_, i) => ({ ...example, images: [keys[(first + i) % keys.length]] })), media, pool, 224, undefined, buffers);
        buffers?.give(batch.pixelValues.data);
      }
    }));
  };
  const buffers = new PixelBuffers();
  await decodeAll(8, buffers);
  await measure(`images read + decoded + resized to 224 + normalized (batches of 16, ${pool.size} workers, ${availableParallelism()} cores)`, 1600, () => decodeAll(100, buffers));
  await measure('same, a new pixel array per batch (none given back)', 1600, () => decodeAll(100));
  await media.close();

  const stream = await createTrainingStream({
    shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, mixture: plan, tokenizers, templates, batchSize: 16, prefetch: 4, pixelPool: pool,
  });
  for (let i = 0; i < 5; i++) stream.release(await stream.next());
  const batches = 60;
  await measure('examples in batches of 16 through createTrainingStream (224 px, released after use)', batches * 16, async () => {
    for (let i = 0; i < batches; i++) stream.release(await stream.next());
  });
  await stream.close();
  await pool.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log('| stream stage | count | wall-clock rate | CPU-time rate | main-thread GC pause per item |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (whole process, shard building included)`);
console.log(`load average (1, 5, 15 min) ${loadBefore.map((l) => l.toFixed(1)).join(', ')} before, ${loadavg().map((l) => l.toFixed(1)).join(', ')} after`);
