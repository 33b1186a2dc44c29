/**
 * Building models from HF checkpoint folders: a LLaMA folder as a (frozen) language model, and a full
 * InstructBLIP folder (HF InstructBlipForConditionalGeneration with a LLaMA text model) as the whole
 * model. Every parameter must come from the folder, and the folder may hold nothing the model lacks
 * (apart from known non-parameter buffers), so a config mismatch fails at load, naming the tensor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openCheckpointFolder, writeCheckpointFolder } from '../checkpoint-folder.ts';
import { type Tokenizer, bertBaseUncased, loadTokenizer } from '../tokenizer.ts';
import { instructBlipConfigFromHF, instructBlipConfigToHF, llamaConfigFromHF } from './config.ts';
import { assertNoUnexpected, checkpointSource, toHFTensors } from './hf-checkpoint.ts';
import { type InstructBlip, createInstructBlip, instructBlipSpecs } from './instructblip.ts';
import { type Llama, llamaSpecs } from './llama.ts';
import { ParamSet } from './params.ts';

/** A LLaMA folder (config.json, safetensors, tokenizer.json); `trainable` for LM pretraining. */
export function loadLanguageModel(dir: string, trainable = false): { lm: Llama; tokenizer: Tokenizer } {
  const folder = openCheckpointFolder(dir);
  try {
    const cfg = llamaConfigFromHF(folder.config);
    const specs = llamaSpecs(cfg, trainable);
    assertNoUnexpected(folder, dir, specs.map((s) => s.name));
    const params = new ParamSet(specs, checkpointSource(folder, dir));
    return { lm: { params, cfg, prefix: '' }, tokenizer: loadTokenizer(dir) };
  } finally {
    folder.close();
  }
}

/**
 * A HF InstructBLIP folder: the model, the LM's tokenizer (tokenizer.json) and the Q-Former's
 * (`qformer_tokenizer/`, as HF's InstructBlipProcessor saves it; bert-base-uncased otherwise).
 * A BLIP-2 folder (model_type "blip-2") with a LLaMA LM loads too, its Q-Former without instructions.
 */
export function loadInstructBlip(dir: string): { model: InstructBlip; tokenizer: Tokenizer; qformerTokenizer: Tokenizer } {
  const folder = openCheckpointFolder(dir);
  try {
    const cfg = instructBlipConfigFromHF(folder.config, folder.config['model_type'] !== 'blip-2');
    assertNoUnexpected(folder, dir, instructBlipSpecs(cfg).map((s) => s.name));
    const model = createInstructBlip(cfg, checkpointSource(folder, dir));
    const qformerDir = path.join(dir, 'qformer_tokenizer');
    return { model, tokenizer: loadTokenizer(dir), qformerTokenizer: fs.existsSync(qformerDir) ? loadTokenizer(qformerDir) : bertBaseUncased() };
  } finally {
    folder.close();
  }
}

/** Writes the whole model as a HF InstructBLIP folder (config.json and safetensors; tokenizers are the caller's). */
export function saveInstructBlip(model: InstructBlip, dir: string): Promise<void> {
  return writeCheckpointFolder(dir, instructBlipConfigToHF(model.cfg), toHFTensors(model.params));
}
