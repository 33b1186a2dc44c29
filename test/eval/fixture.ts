/**
 * A tiny evaluated-run setup: held-out datasets built from the sample mirror (real adapters, real
 * shards and media store, video frames included), a random tiny LLaMA in an HF folder whose
 * word-level tokenizer covers the held-out text, and a run folder whose checkpoint was written by the
 * trainer's checkpoint writer from a model the trainer's builder made (test/train's tiny config).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { buildShards } from '../../pipelines/shards/build/build-shards.ts';
import { readSplit } from '../../pipelines/shards/shard-reader.ts';
import { loadAdapters, sampleDir } from '../../pipelines/sources/registry.ts';
import { DEFAULT_TEMPLATE_DIR } from '../../pipelines/format/index.ts';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { initBackend } from '../../trainer/backend.ts';
import { WORD_SPECIAL_IDS, wordLevelTokenizer, wordSplitter } from '../../trainer/demo/word-tokenizer.ts';
import type { LlamaConfig } from '../../trainer/model/config.ts';
import { llamaSpecs } from '../../trainer/model/llama.ts';
import { ParamSet, randomInit } from '../../trainer/model/params.ts';
import type { TensorToWrite } from '../../trainer/weights.ts';
import { buildModel, trainableTensors } from '../../trainer/train/build-model.ts';
import { writeCheckpoint } from '../../trainer/train/checkpoint.ts';
import type { TrainConfig } from '../../trainer/train/config.ts';
import { dataFingerprint } from '../../trainer/train/data-fingerprint.ts';
import { readLmFolder, writeLmFolder } from '../../trainer/train/lm-folder.ts';
import { bertUncasedTokenizer } from '../../trainer/train/tokenizers.ts';
import { TINY_LM_SHAPE, tinyConfig } from '../train/fixture.ts';

export const EVAL_DATASETS = ['gqa', 'vsr', 'msvd-qa'];

export interface EvalFixture {
  root: string;
  shardsDir: string;
  manifestsDir: string;
  lmDir: string;
  config: TrainConfig;
  /** The sample mirror read in place, as ingest would leave it. */
  raw: RawAccess;
}

async function heldOutWords(dirs: { shardsDir: string; manifestsDir: string }, datasets: readonly string[]): Promise<string[]> {
  const split = wordSplitter();
  const texts = [readFileSync(path.join(DEFAULT_TEMPLATE_DIR, 'eval', 'prompts.hbs.json'), 'utf8')];
  for (const dataset of datasets) {
    for (const name of Object.keys(readDatasetManifest(dirs.manifestsDir, dataset)!.splits)) {
      for await (const r of readSplit(dirs, dataset, name)) texts.push(JSON.stringify([r.question, r.answers, r.choices, r.context]));
    }
  }
  return texts.flatMap(split);
}

function writeTinyLm(dir: string, words: string[]): void {
  const { json, config: tokenizerConfig, vocabSize } = wordLevelTokenizer(words);
  const config: LlamaConfig = { ...TINY_LM_SHAPE, vocabSize, bosTokenId: WORD_SPECIAL_IDS.bos, eosTokenId: WORD_SPECIAL_IDS.eos, padTokenId: WORD_SPECIAL_IDS.pad };
  const params = new ParamSet(llamaSpecs(config, false), randomInit(11));
  try {
    writeLmFolder(dir, params, config, { json, config: tokenizerConfig });
  } finally {
    params.dispose();
  }
}

export async function buildEvalFixture(root: string, datasets: readonly string[] = EVAL_DATASETS): Promise<EvalFixture> {
  await initBackend({ backend: 'cpu' });
  const shardsDir = path.join(root, 'shards');
  const manifestsDir = path.join(root, 'manifests');
  const raw = new RawAccess((s) => sampleDir(s));
  await buildShards({ adapters: await loadAdapters(), datasets, rawDir: path.join(root, 'raw'), raw, shardsDir, manifestsDir, imageWorkers: 1 });
  for (const dataset of datasets) if (readDatasetManifest(manifestsDir, dataset) === null) throw new Error(`fixture: ${dataset} did not build`);
  const lmDir = path.join(root, 'lm');
  writeTinyLm(lmDir, await heldOutWords({ shardsDir, manifestsDir }, datasets));
  const config = tinyConfig({ shardsDir, manifestsDir, records: new Map(), whiteImage: '', partBytes: new Map() }, lmDir);
  return { root, shardsDir, manifestsDir, lmDir, config, raw };
}

/**
 * runs/<name>/ with config.json and checkpoints/step-<step>/ holding the trainable weights the
 * trainer's builder initialises (`edit` may drop or change tensors before they are written).
 */
export function writeRun(fx: EvalFixture, name: string, options: { step?: number; edit?: (weights: TensorToWrite[]) => TensorToWrite[] } = {}): string {
  const runDir = path.join(fx.root, 'runs', name);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(fx.config, null, 2));
  const model = buildModel(fx.config.model, readLmFolder(fx.lmDir), bertUncasedTokenizer().vocabSize);
  try {
    const weights = trainableTensors(model);
    writeCheckpoint(path.join(runDir, 'checkpoints'), {
      weights: options.edit ? options.edit(weights) : weights,
      optimizer: [],
      ledger: null,
      state: {
        step: options.step ?? 1, optimizerUpdates: 0, sampler: { version: 1, seed: 0, mixture: '', next: 0, cursors: {} },
        rng: { seed: 0 }, config: fx.config, data: dataFingerprint(fx.manifestsDir, []),
      },
    }, 1);
  } finally {
    model.params.dispose();
  }
  return runDir;
}
