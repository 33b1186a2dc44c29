import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { INDEX_FILE, openCheckpointFolder, writeCheckpointFolder } from '../../trainer/checkpoint-folder.ts';
import { llamaConfigFromHF, llamaConfigToHF } from '../../trainer/model/config.ts';
import { assertNoUnexpected, checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { lmHead, llamaForward, llamaSpecs } from '../../trainer/model/llama.ts';
import { ParamSet } from '../../trainer/model/params.ts';
import { encodeSafetensors } from '../../trainer/weights.ts';
import { assertClose, loadGolden, tensorOf } from './golden.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
}

/** The reference's LLaMA golden as an HF folder: config.json and its tensors, sharded past `maxShardBytes`. */
async function writeGoldenLlamaFolder(dir: string, maxShardBytes: number) {
  const golden = loadGolden('llama');
  const tensors = golden.params.names().map((name) => ({ name, ...golden.params.read(name) }));
  await writeCheckpointFolder(dir, golden.config['text_config'], tensors, maxShardBytes);
  return golden;
}

test('a sharded HF LLaMA folder (index json) loads and reproduces the reference outputs', async () => {
  await initBackend({ backend: 'cpu' });
  const dir = tempDir();
  try {
    const golden = await writeGoldenLlamaFolder(dir, 4096);
    const shards = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
    assert.ok(shards.length > 2, `expected several shards, got ${shards}`);
    const folder = openCheckpointFolder(dir);
    const cfg = llamaConfigFromHF(folder.config);
    const specs = llamaSpecs(cfg);
    assertNoUnexpected(folder, dir, specs.map((s) => s.name));
    const lm = { params: new ParamSet(specs, checkpointSource(folder, dir)), cfg, prefix: '' };
    folder.close();
    const { hidden } = llamaForward(lm, { inputsEmbeds: tensorOf(golden.inputs.get('inputs_embeds')) as tf.Tensor3D, attentionMask: tensorOf(golden.inputs.get('attention_mask')) as tf.Tensor2D });
    assertClose('logits', lmHead(lm, hidden), golden.outputs.get('logits'), 1e-4);
    assert.deepEqual(llamaConfigFromHF(llamaConfigToHF(cfg)), cfg, 'config survives a round trip through HF JSON');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('saving again unsharded removes the old shards and index', async () => {
  const dir = tempDir();
  try {
    await writeGoldenLlamaFolder(dir, 4096);
    await writeGoldenLlamaFolder(dir, 1 << 30);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
    const folder = openCheckpointFolder(dir);
    assert.ok(folder.has('model.norm.weight'));
    folder.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('broken folders are refused with the file and tensor named', async () => {
  const dir = tempDir();
  try {
    assert.throws(() => openCheckpointFolder(path.join(dir, 'nope')), /does not exist/);
    assert.throws(() => openCheckpointFolder(dir), /config.json: missing/);
    fs.writeFileSync(path.join(dir, 'config.json'), '{"model_type": "llama"');
    assert.throws(() => openCheckpointFolder(dir), /config.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    assert.throws(() => openCheckpointFolder(dir), /no \*.safetensors file \(pytorch_model.bin checkpoints are not supported/);
    fs.writeFileSync(path.join(dir, 'a.safetensors'), encodeSafetensors([{ name: 'w', shape: [1], values: new Float32Array(1) }]));
    fs.writeFileSync(path.join(dir, 'b.safetensors'), encodeSafetensors([{ name: 'v', shape: [1], values: new Float32Array(1) }]));
    assert.throws(() => openCheckpointFolder(dir), /2 safetensors files but no model.safetensors.index.json/);
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ weight_map: { w: 'a.safetensors', v: 'a.safetensors' } }));
    assert.throws(() => openCheckpointFolder(dir), /tensor "v" is listed in a.safetensors, which does not contain it/);
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ weight_map: { w: 'a.safetensors', v: 'c.safetensors' } }));
    assert.throws(() => openCheckpointFolder(dir), /shard c.safetensors is missing/);
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ weight_map: { w: '../a.safetensors' } }));
    assert.throws(() => openCheckpointFolder(dir), /not a plain file name/);
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ weight_map: { w: 'a.safetensors', v: 'b.safetensors' } }));
    const folder = openCheckpointFolder(dir);
    assert.deepEqual(folder.names().sort(), ['v', 'w']);
    folder.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loading checks every shape against the config and names the tensor and both shapes', async () => {
  await initBackend({ backend: 'cpu' });
  const golden = loadGolden('llama');
  const cfg = llamaConfigFromHF({ ...golden.config['text_config'], intermediate_size: 32 });
  assert.throws(() => new ParamSet(llamaSpecs(cfg), checkpointSource(golden.params, 'llama golden')), /llama golden: tensor "model.layers.0.mlp.gate_proj.weight" has shape \[24,16\] but the model expects \[32,16\]/);
  const tied = llamaConfigFromHF({ ...golden.config['text_config'], tie_word_embeddings: true });
  assert.throws(() => assertNoUnexpected(golden.params, 'llama golden', llamaSpecs(tied).map((s) => s.name)), /1 tensor\(s\) the model does not have: lm_head.weight/);
  const deeper = llamaConfigFromHF({ ...golden.config['text_config'], num_hidden_layers: 3 });
  assert.throws(() => new ParamSet(llamaSpecs(deeper), checkpointSource(golden.params, 'llama golden')), /missing tensor "model.layers.2.input_layernorm.weight"/);
});
