/**
 * The demo configuration's training speed (trainer/configs/demo.json, or BENCH_CONFIG): examples per
 * second, the share of step time spent waiting for the stream (target < 5 %), CPU seconds per step
 * (on a shared machine wall time overstates the cost; CPU time does not), and peak memory. It runs
 * the real trainer for BENCH_STEPS steps on the built shards (npm run build-shards first) with a
 * random LM of the config's stage-0 shape instead of pretraining one: speed does not depend on what
 * the frozen LM knows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../trainer/backend.ts';
import { WORD_SPECIAL_IDS, wordLevelTokenizer } from '../trainer/demo/word-tokenizer.ts';
import { collectVocabulary } from '../trainer/demo/vocabulary.ts';
import type { LlamaConfig } from '../trainer/model/config.ts';
import { llamaSpecs } from '../trainer/model/llama.ts';
import { ParamSet, randomInit } from '../trainer/model/params.ts';
import { loadTrainConfig, type TrainConfig } from '../trainer/train/config.ts';
import { writeLmFolder } from '../trainer/train/lm-folder.ts';
import { readMetrics, type TrainRecord } from '../trainer/train/metrics.ts';
import { train } from '../trainer/train/train.ts';

const CONFIG = process.env['BENCH_CONFIG'] ?? 'trainer/configs/demo.json';
const STEPS = Number(process.env['BENCH_STEPS'] ?? 30);
const WARMUP = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function randomLmFolder(config: TrainConfig, dir: string): Promise<void> {
  const lm = config.model.lm;
  if (!('stage0' in lm)) throw new Error(`${CONFIG}: the bench builds a random LM of the stage-0 shape; this config names a checkpoint`);
  await initBackend({ backend: config.train.backend, threads: config.train.threads });
  const dirs = { shardsDir: config.data.shardsDir, manifestsDir: config.data.manifestsDir };
  const files = wordLevelTokenizer(await collectVocabulary(dirs, config.mixture.datasets, config.mixture.seed, 1));
  const cfg: LlamaConfig = { ...lm.stage0.shape, vocabSize: files.vocabSize, bosTokenId: WORD_SPECIAL_IDS.bos, eosTokenId: WORD_SPECIAL_IDS.eos, padTokenId: WORD_SPECIAL_IDS.pad };
  const params = new ParamSet(llamaSpecs(cfg, false), randomInit(1));
  writeLmFolder(dir, params, cfg, files);
  params.dispose();
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'train-bench-'));
  try {
    const base = loadTrainConfig(CONFIG);
    const lmDir = path.join(root, 'lm');
    await randomLmFolder(base, lmDir);
    const config: TrainConfig = {
      ...base,
      model: { ...base.model, lm: { checkpoint: lmDir } },
      train: { ...base.train, steps: STEPS, checkpointEvery: STEPS, validateEvery: 0 },
    };
    const cpuStart = process.cpuUsage();
    let peakTensorBytes = 0;
    const sampler = setInterval(() => {
      peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes);
    }, 50);
    const runDir = path.join(root, 'run');
    const result = await train({ config, runDir, resume: false, force: false, log: (line) => console.error(line), progressEvery: 10 });
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuStart);
    const steps = readMetrics(path.join(runDir, 'metrics.jsonl')).filter((r): r is TrainRecord => r.kind === 'train').slice(WARMUP);
    const stepSeconds = median(steps.map((s) => s.seconds));
    const waitShare = steps.reduce((a, s) => a + s.dataWait, 0) / steps.reduce((a, s) => a + s.seconds, 0);
    const cpuPerStep = (cpu.user + cpu.system) / 1e6 / STEPS;
    const { batchSize, microBatchSize } = config.train;
    console.log(`config ${CONFIG}, ${STEPS} steps (first ${WARMUP} not counted), batch ${batchSize} (micro ${microBatchSize}), ${tf.getBackend()}\n`);
    console.log('| measure | value |');
    console.log('| --- | --- |');
    console.log(`| step time (median, wall) | ${stepSeconds.toFixed(3)} s |`);
    console.log(`| examples / s (wall) | ${(batchSize / stepSeconds).toFixed(1)} |`);
    console.log(`| CPU time per step (whole process, all threads) | ${cpuPerStep.toFixed(3)} s |`);
    console.log(`| waiting for data | ${(100 * waitShare).toFixed(1)} % of step time (target < 5 %) |`);
    console.log(`| peak tensor memory | ${(peakTensorBytes / 2 ** 20).toFixed(0)} MiB |`);
    console.log(`| peak RSS | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB |`);
    console.log(`| last loss | ${result.lastLoss.toFixed(4)} |`);
    console.log(`| load average (1 min) at the end | ${(await import('node:os')).loadavg()[0]!.toFixed(1)} |`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
