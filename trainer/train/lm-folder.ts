/**
 * A frozen LM as an HF folder: config.json (LlamaConfig), tokenizer.json and safetensors weights,
 * one model.safetensors (what writeLmFolder and the demo's stage 0 write) or shards listed in
 * model.safetensors.index.json (what a downloaded 7B checkpoint has). Weights are read lazily, tensor
 * by tensor from their offsets as the model asks for them, half precision widened to float32.
 * Written into a temporary folder and renamed, so a folder that exists is complete.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openCheckpointFolder } from '../checkpoint-folder.ts';
import { type LlamaConfig, llamaConfigFromHF, llamaConfigToHF } from '../model/config.ts';
import { type TensorLookup, toHFTensors } from '../model/hf-checkpoint.ts';
import type { ParamSet } from '../model/params.ts';
import { encodeSafetensors } from '../weights.ts';
import { type LoadedLmTokenizer, loadLmTokenizer } from './tokenizers.ts';

export const LM_FILES = { config: 'config.json', weights: 'model.safetensors', tokenizer: 'tokenizer.json', tokenizerConfig: 'tokenizer_config.json' } as const;

export interface LmFolder {
  dir: string;
  config: LlamaConfig;
  weights: TensorLookup;
  tokenizer: LoadedLmTokenizer;
}

/** The LM's sizes from config.json alone, so memory can be checked before any weight is read. */
export function readLmConfig(dir: string): LlamaConfig {
  const file = path.join(dir, LM_FILES.config);
  if (!existsSync(file)) throw new Error(`LM folder ${dir}: no ${LM_FILES.config} (an LM folder holds ${LM_FILES.config}, ${LM_FILES.tokenizer} and safetensors weights)`);
  return llamaConfigFromHF(JSON.parse(readFileSync(file, 'utf8')));
}

/** PyTorch's pickled weights cannot be read here; say how to get safetensors instead of "no weights". */
function assertSafetensors(dir: string): void {
  const files = readdirSync(dir);
  const pickled = files.find((f) => /^pytorch_model.*\.bin$/.test(f));
  if (pickled === undefined || files.some((f) => f.endsWith('.safetensors'))) return;
  throw new Error(
    `LM folder ${dir}: has ${pickled} but no safetensors; only safetensors are read (a .bin is a Python pickle). Convert once with transformers: ` +
      `python -c "from transformers import AutoModelForCausalLM as M; M.from_pretrained('${dir}', torch_dtype='auto').save_pretrained('${dir}', safe_serialization=True)"`,
  );
}

export function readLmFolder(dir: string): LmFolder {
  const config = readLmConfig(dir);
  if (!existsSync(path.join(dir, LM_FILES.tokenizer))) {
    throw new Error(`LM folder ${dir}: no ${LM_FILES.tokenizer}; save the fast tokenizer with transformers: AutoTokenizer.from_pretrained('${dir}').save_pretrained('${dir}')`);
  }
  assertSafetensors(dir);
  const weights = openCheckpointFolder(dir, { openPerRead: true });
  const tokenizer = loadLmTokenizer(dir, { bosId: config.bosTokenId, eosId: config.eosTokenId, padId: config.padTokenId });
  return { dir, config, weights, tokenizer };
}

export interface TokenizerFiles {
  /** tokenizer.json */
  json: unknown;
  /** tokenizer_config.json: the special tokens by name (some tokenizer models read unk_token there). */
  config: Record<string, unknown>;
}

/** Writes the LM's parameters (names without prefix), its config and tokenizer; replaces `dir` whole. */
export function writeLmFolder(dir: string, params: ParamSet, config: LlamaConfig, tokenizer: TokenizerFiles, extraFiles: Record<string, string> = {}): void {
  const tmp = `${dir}.${randomBytes(4).toString('hex')}.tmp`;
  mkdirSync(tmp, { recursive: true });
  try {
    writeFileSync(path.join(tmp, LM_FILES.config), `${JSON.stringify(llamaConfigToHF(config), null, 2)}\n`);
    writeFileSync(path.join(tmp, LM_FILES.weights), encodeSafetensors(toHFTensors(params), { format: 'pt' }));
    writeFileSync(path.join(tmp, LM_FILES.tokenizer), `${JSON.stringify(tokenizer.json)}\n`);
    writeFileSync(path.join(tmp, LM_FILES.tokenizerConfig), `${JSON.stringify(tokenizer.config, null, 2)}\n`);
    for (const [name, text] of Object.entries(extraFiles)) writeFileSync(path.join(tmp, name), text);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
