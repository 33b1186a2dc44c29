/**
 * A frozen LM as an HF folder: config.json (LlamaConfig), model.safetensors and tokenizer.json, the
 * layout a downloaded checkpoint has and the one the demo's stage 0 writes. Written into a temporary
 * folder and renamed, so a folder that exists is complete.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type LlamaConfig, llamaConfigFromHF, llamaConfigToHF } from '../model/config.ts';
import { type TensorLookup, mapLookup, toHFTensors } from '../model/hf-checkpoint.ts';
import type { ParamSet } from '../model/params.ts';
import { encodeSafetensors, readSafetensorsFile } from '../weights.ts';
import { type LoadedLmTokenizer, loadLmTokenizer } from './tokenizers.ts';

export const LM_FILES = { config: 'config.json', weights: 'model.safetensors', tokenizer: 'tokenizer.json', tokenizerConfig: 'tokenizer_config.json' } as const;

export interface LmFolder {
  dir: string;
  config: LlamaConfig;
  weights: TensorLookup;
  tokenizer: LoadedLmTokenizer;
}

export function readLmFolder(dir: string): LmFolder {
  for (const file of [LM_FILES.config, LM_FILES.weights, LM_FILES.tokenizer]) {
    if (!existsSync(path.join(dir, file))) throw new Error(`LM folder ${dir}: no ${file} (an LM folder holds ${LM_FILES.config}, ${LM_FILES.weights} and ${LM_FILES.tokenizer})`);
  }
  const config = llamaConfigFromHF(JSON.parse(readFileSync(path.join(dir, LM_FILES.config), 'utf8')));
  const { tensors } = readSafetensorsFile(path.join(dir, LM_FILES.weights));
  const tokenizer = loadLmTokenizer(dir, { bosId: config.bosTokenId, eosId: config.eosTokenId, padId: config.padTokenId });
  return { dir, config, weights: mapLookup(tensors), tokenizer };
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
