import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { writeCheckpointFolder } from '../../trainer/checkpoint-folder.ts';
import { instructBlipConfigFromHF } from '../../trainer/model/config.ts';
import { checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { createInstructBlip, encodeImages, instructBlipLoss } from '../../trainer/model/instructblip.ts';
import { llamaForward } from '../../trainer/model/llama.ts';
import { loadInstructBlip, loadLanguageModel, saveInstructBlip } from '../../trainer/model/load.ts';
import { writeBertBaseUncased } from '../../trainer/tokenizer.ts';
import { assertClose, loadGolden, tensorOf } from './golden.ts';

test('an InstructBLIP folder saved from the reference weights loads back and reproduces the reference loss', async () => {
  await initBackend({ backend: 'cpu' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'instructblip-'));
  try {
    const golden = loadGolden('instructblip');
    const original = createInstructBlip(instructBlipConfigFromHF(golden.config), checkpointSource(golden.params, 'golden'));
    await saveInstructBlip(original, dir);
    await writeBertBaseUncased(dir);
    const { model, tokenizer, qformerTokenizer } = loadInstructBlip(dir);
    assert.deepEqual(model.cfg, original.cfg);
    assert.deepEqual(tokenizer.encode('a cat').ids, qformerTokenizer.encode('a cat').ids);
    const int2d = (name: string) => tensorOf(golden.inputs.get(name)) as tf.Tensor2D;
    const loss = instructBlipLoss(model, {
      imageFeatures: encodeImages(model, tensorOf(golden.inputs.get('pixel_values'))),
      qformerInputIds: int2d('qformer_input_ids'),
      qformerAttentionMask: int2d('qformer_attention_mask'),
      inputIds: int2d('input_ids'),
      attentionMask: int2d('attention_mask'),
      labels: int2d('labels'),
    });
    assertClose('loss', loss.reshape([1]), golden.outputs.get('loss'), 1e-4);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a LLaMA folder with its tokenizer loads as a language model', async () => {
  await initBackend({ backend: 'cpu' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llama-'));
  try {
    const golden = loadGolden('llama');
    await writeCheckpointFolder(dir, golden.config['text_config'], golden.params.names().map((name) => ({ name, ...golden.params.read(name) })));
    await writeBertBaseUncased(dir);
    const { lm, tokenizer } = loadLanguageModel(dir);
    assert.equal(tokenizer.token_to_id('[CLS]'), 101);
    const { hidden } = llamaForward(lm, { inputsEmbeds: tensorOf(golden.inputs.get('inputs_embeds')) as tf.Tensor3D, attentionMask: tensorOf(golden.inputs.get('attention_mask')) as tf.Tensor2D });
    assertClose('hidden', hidden, golden.outputs.get('hidden'), 1e-4);
    assert.ok(lm.params.trainable().length === 0, 'loaded frozen by default');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
