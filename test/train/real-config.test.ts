import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { WASM_HEAP_LIMIT_BYTES } from '../../trainer/backend.ts';
import { EVA_VIT_G, INSTRUCTBLIP_VICUNA_7B, QFORMER_BASE, VICUNA_7B } from '../../trainer/configs/models.ts';
import { instructBlipConfigToHF } from '../../trainer/model/config.ts';
import { assertTrainingFits } from '../../trainer/model/memory.ts';
import { visionTokens } from '../../trainer/model/vision.ts';
import { instructBlipConfigFor } from '../../trainer/train/build-model.ts';
import { loadTrainConfig, parseTrainConfig } from '../../trainer/train/config.ts';

const CONFIG = 'trainer/configs/instructblip-vicuna7b.json';
const root = mkdtempSync(path.join(tmpdir(), 'real-config-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the InstructBLIP Vicuna-7B config is refused while its folders are placeholders, naming both fields', () => {
  assert.throws(() => loadTrainConfig(CONFIG), (err: Error) => {
    assert.match(err.message, /^trainer\/configs\/instructblip-vicuna7b\.json: model\.lm\.checkpoint: models\/vicuna-7b-v1\.1 does not exist; model\.init\.checkpoint: models\/instructblip-vicuna-7b does not exist\./);
    assert.match(err.message, /Training on real checkpoints/);
    return true;
  });
});

test('with the folders in place it is the paper\'s model and recipe, and the wasm heap is refused with the estimate', () => {
  const init = path.join(root, 'instructblip-vicuna-7b');
  const lm = path.join(root, 'vicuna-7b');
  mkdirSync(init, { recursive: true });
  mkdirSync(lm, { recursive: true });
  writeFileSync(path.join(init, 'config.json'), JSON.stringify(instructBlipConfigToHF(INSTRUCTBLIP_VICUNA_7B)));
  const json = JSON.parse(readFileSync(CONFIG, 'utf8'));
  json.model.lm.checkpoint = lm;
  json.model.init.checkpoint = init;
  const config = parseTrainConfig(json, CONFIG);

  assert.deepEqual(config.model.vision, EVA_VIT_G);
  const { encoderHiddenSize: _encoder, vocabSize: _vocab, ...qformer } = QFORMER_BASE;
  assert.deepEqual(config.model.qformer, qformer);
  const { train, data } = config;
  assert.deepEqual([train.steps, train.batchSize, train.schedule.peakLr, train.schedule.warmupStartLr, train.schedule.warmupSteps, train.schedule.minLr], [60000, 128, 1e-5, 1e-8, 1000, 0]);
  assert.deepEqual([train.adamw.beta1, train.adamw.beta2, train.adamw.weightDecay], [0.9, 0.999, 0.05]);
  assert.equal(train.batchSize % train.microBatchSize, 0);
  assert.equal(data.imageSize, 224);

  const cfg = instructBlipConfigFor(config.model, VICUNA_7B, QFORMER_BASE.vocabSize);
  const shape = {
    batch: train.microBatchSize, imageTokens: visionTokens(cfg.vision), instructionTokens: data.limits.qformerInstruction,
    textTokens: data.limits.lmInstruction + data.limits.target, trainVision: false,
  };
  const wasm = { name: 'wasm' as const, threads: 2, heapLimitBytes: WASM_HEAP_LIMIT_BYTES, description: '' };
  assert.throws(() => assertTrainingFits(wasm, cfg, shape, config.name), /a training step of instructblip-vicuna7b at batch 4 needs about \d+\.\d\d GiB, more than the wasm heap of 4\.00 GiB; .*@tensorflow\/tfjs-node\(-gpu\)/);
  assert.doesNotThrow(() => assertTrainingFits({ name: 'tensorflow-gpu', threads: 0, description: '' }, cfg, shape, config.name));
});

test('the demo config still loads as it is, without model.init', () => {
  const config = loadTrainConfig('trainer/configs/demo.json');
  assert.equal(config.model.init, undefined);
  assert.ok('stage0' in config.model.lm);
  assert.equal(config.model.vision.imageSize, config.data.imageSize);
});
