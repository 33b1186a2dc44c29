import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readLmFolder } from '../../trainer/train/lm-folder.ts';
import { instructBlipConfigFor } from '../../trainer/train/build-model.ts';
import { listCheckpoints, readCheckpoint } from '../../trainer/train/checkpoint.ts';
import { loadTrainConfig } from '../../trainer/train/config.ts';
import { readMetrics, type TrainRecord } from '../../trainer/train/metrics.ts';
import { train } from '../../trainer/train/train.ts';
import { buildTrainFixture } from './fixture.ts';
import { INSTRUCTBLIP_QFORMER_VOCAB, initConfigJson, specCheckpoint, writeHfFolder } from './init-fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'init-train-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a training run with model.init: the run starts from the checkpoint, records the sizes it read, and trains', async () => {
  const fx = await buildTrainFixture(root);
  const cfg = instructBlipConfigFor(fx.config.model, readLmFolder(fx.lmDir).config, INSTRUCTBLIP_QFORMER_VOCAB);
  const checkpoint = path.join(root, 'instructblip');
  const { config: hfConfig, tensors } = specCheckpoint(cfg, 7);
  await writeHfFolder(checkpoint, hfConfig, tensors);
  const json = initConfigJson(JSON.parse(readFileSync(fx.configFile, 'utf8')), checkpoint, fx.lmDir);
  json['train'] = { ...json['train'], steps: 2, checkpointEvery: 1, validateEvery: 0 };
  const configFile = path.join(root, 'init.json');
  writeFileSync(configFile, JSON.stringify(json));

  const config = loadTrainConfig(configFile);
  assert.deepEqual(config.model.vision, fx.config.model.vision, 'sizes from the checkpoint\'s config.json');
  const runDir = path.join(root, 'runs', 'init');
  await train({ config, runDir, resume: false, force: false, log: () => undefined, progressEvery: 1000 });

  const saved = JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  assert.deepEqual(saved.model.init, { checkpoint, fresh: [] });
  assert.deepEqual(saved.model.qformer, config.model.qformer);
  const losses = readMetrics(path.join(runDir, 'metrics.jsonl')).filter((r): r is TrainRecord => r.kind === 'train');
  assert.ok(losses.length === 2 && losses.every((r) => Number.isFinite(r.loss) && r.loss > 0));
  // Step 1 runs at warmupStartLr (1e-8): its weights are the checkpoint's up to that update.
  const first = readCheckpoint(listCheckpoints(path.join(runDir, 'checkpoints'))[0]!.dir);
  for (const name of ['query_tokens', 'language_projection.weight', 'qformer.embeddings.word_embeddings.weight', 'vision_model.post_layernorm.weight']) {
    const got = first.weights.get(name)!;
    const want = tensors.get(name)!;
    assert.deepEqual(got.shape, want.shape, name);
    const drift = Array.from(got.values, (v, i) => Math.abs(v - want.values[i]!)).reduce((a, b) => Math.max(a, b), 0);
    assert.ok(drift < 1e-6, `${name} starts from the checkpoint (drift ${drift})`);
  }
});
