/**
 * The memory check runs before any weight loads: an LM folder whose config.json describes Vicuna-7B
 * but whose index names shards that do not exist is refused on wasm with the estimate. Had anything
 * tried to read a weight, the error would be the missing shard instead.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { INDEX_FILE } from '../../trainer/checkpoint-folder.ts';
import { VICUNA_7B } from '../../trainer/configs/models.ts';
import { wordLevelTokenizer } from '../../trainer/demo/word-tokenizer.ts';
import { loadEvalModel } from '../../trainer/eval/eval-model.ts';
import { llamaConfigToHF } from '../../trainer/model/config.ts';
import { llamaSpecs } from '../../trainer/model/llama.ts';
import { writeCheckpoint } from '../../trainer/train/checkpoint.ts';
import type { TrainConfig } from '../../trainer/train/config.ts';
import { dataFingerprint } from '../../trainer/train/data-fingerprint.ts';
import { LM_FILES } from '../../trainer/train/lm-folder.ts';
import { train } from '../../trainer/train/train.ts';
import type { Fixture } from '../stream/fixture.ts';
import { tinyConfig } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'memory-first-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = () => undefined;

function writeVicunaConfigOnly(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, LM_FILES.config), JSON.stringify(llamaConfigToHF(VICUNA_7B)));
  writeFileSync(path.join(dir, LM_FILES.tokenizer), JSON.stringify(wordLevelTokenizer(['a', 'cat']).json));
  const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const weightMap = Object.fromEntries(llamaSpecs(VICUNA_7B).map((s, i) => [s.name, shards[i % 2]]));
  writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ weight_map: weightMap }));
}

const lmDir = path.join(root, 'vicuna-7b');
writeVicunaConfigOnly(lmDir);
const manifestsDir = path.join(root, 'manifests');
const base = tinyConfig({ shardsDir: path.join(root, 'shards'), manifestsDir } as Fixture, lmDir);
const config: TrainConfig = { ...base, name: 'vicuna-on-wasm', train: { ...base.train, backend: 'wasm', threads: 1 }, mixture: { ...base.mixture, datasets: [] } };
const estimate = (what: string) => new RegExp(`${what} needs about \\d+\\.\\d\\d GiB, more than the wasm heap of 4\\.00 GiB`);

test('training a 7B LM on wasm is refused with the estimate before any weight is read', async () => {
  await assert.rejects(train({ config, runDir: path.join(root, 'runs', 'train'), resume: false, force: false, log: quiet }), estimate('a training step of vicuna-on-wasm at batch 2'));
});

test('evaluating a checkpoint of it on wasm is refused the same way', async () => {
  const checkpointsDir = path.join(root, 'runs', 'eval', 'checkpoints');
  const dir = writeCheckpoint(checkpointsDir, {
    weights: [], optimizer: [], ledger: null,
    state: { step: 1, optimizerUpdates: 0, sampler: { version: 1, seed: 0, mixture: '', next: 0, cursors: {} }, rng: { seed: 0 }, config, data: dataFingerprint(manifestsDir, []) },
  }, 1);
  await assert.rejects(loadEvalModel(dir, quiet), estimate('a forward pass of evaluation of vicuna-on-wasm at batch 1'));
});
