/**
 * Tiny fake HF checkpoints for `model.init`: an InstructBLIP folder made from the PyTorch reference's
 * golden parameters (HF names, HF layouts, torch Linear weights [out, in]) with InstructBLIP's
 * 30,523-row Q-Former word table, its LLaMA as an LM folder, and checkpoints of any size from the
 * model's specs for end-to-end runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeCheckpointFolder } from '../../trainer/checkpoint-folder.ts';
import { type InstructBlipConfig, type LlamaConfig, instructBlipConfigToHF } from '../../trainer/model/config.ts';
import { LM_PREFIX, instructBlipSpecs } from '../../trainer/model/instructblip.ts';
import { llamaSpecs } from '../../trainer/model/llama.ts';
import { ParamSet, randomInit } from '../../trainer/model/params.ts';
import { wordLevelTokenizer } from '../../trainer/demo/word-tokenizer.ts';
import { bertBaseUncasedJson } from '../../trainer/tokenizer.ts';
import { LM_FILES, writeLmFolder } from '../../trainer/train/lm-folder.ts';
import type { TensorData } from '../../trainer/weights.ts';
import { loadGolden } from '../trainer/golden.ts';

export const WORD_TABLE = 'qformer.embeddings.word_embeddings.weight';
export const INSTRUCTBLIP_QFORMER_VOCAB = 30523;

export type Tensors = Map<string, TensorData>;
type Json = Record<string, any>;

/** Deterministic values in [-0.5, 0.5), different per seed. */
export function seededValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) / 2 ** 32 - 0.5;
  }
  return out;
}

/** The golden InstructBLIP (PyTorch reference) as an HF checkpoint: config.json and tensors, LM included. */
export function goldenInstructBlip(): { config: Json; tensors: Tensors } {
  const golden = loadGolden('instructblip');
  const tensors: Tensors = new Map(golden.params.names().map((name) => [name, golden.params.read(name)]));
  const width = tensors.get(WORD_TABLE)!.shape[1]!;
  tensors.set(WORD_TABLE, { shape: [INSTRUCTBLIP_QFORMER_VOCAB, width], values: seededValues(INSTRUCTBLIP_QFORMER_VOCAB * width, 11) });
  const config = structuredClone(golden.config) as Json;
  config['model_type'] = 'instructblip';
  config['architectures'] = ['InstructBlipForConditionalGeneration'];
  config['qformer_config']['vocab_size'] = INSTRUCTBLIP_QFORMER_VOCAB;
  return { config, tensors };
}

/** An HF checkpoint folder; sharded when `maxShardBytes` is small. */
export async function writeHfFolder(dir: string, config: Json, tensors: Tensors, maxShardBytes?: number): Promise<void> {
  await writeCheckpointFolder(dir, config, [...tensors].map(([name, t]) => ({ name, ...t })), maxShardBytes);
}

/** HF's InstructBlipProcessor Q-Former tokenizer: bert-base-uncased with [DEC] added (id 30522), or `edit`ed. */
export function writeQFormerTokenizer(dir: string, edit: (json: Json) => void = () => undefined): void {
  const json = bertBaseUncasedJson() as Json;
  json['added_tokens'].push({ id: 30522, content: '[DEC]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  edit(json);
  mkdirSync(path.join(dir, 'qformer_tokenizer'), { recursive: true });
  writeFileSync(path.join(dir, 'qformer_tokenizer', 'tokenizer.json'), JSON.stringify(json));
}

const tinyTokenizer = () => wordLevelTokenizer(['a', 'cat', 'on', 'the', 'mat']);

/** The checkpoint's language model as an LM folder (config.json = text_config, a word-level tokenizer). */
export async function writeLmFolderFrom(dir: string, config: Json, tensors: Tensors): Promise<void> {
  const lm: Tensors = new Map([...tensors].filter(([n]) => n.startsWith(LM_PREFIX)).map(([n, t]) => [n.slice(LM_PREFIX.length), t]));
  await writeHfFolder(dir, config['text_config'], lm);
  const { json, config: tokenizerConfig } = tinyTokenizer();
  writeFileSync(path.join(dir, LM_FILES.tokenizer), JSON.stringify(json));
  writeFileSync(path.join(dir, LM_FILES.tokenizerConfig), JSON.stringify(tokenizerConfig));
}

/** A randomly initialised LM folder of `config`'s sizes. */
export function writeRandomLmFolder(dir: string, config: LlamaConfig): void {
  const params = new ParamSet(llamaSpecs(config, false), randomInit(4));
  try {
    writeLmFolder(dir, params, config, tinyTokenizer());
  } finally {
    params.dispose();
  }
}

/** Random tensors in HF layout for every parameter of `cfg` (its LM's too), and its HF config.json. */
export function specCheckpoint(cfg: InstructBlipConfig, seed: number): { config: Json; tensors: Tensors } {
  const tensors: Tensors = new Map();
  instructBlipSpecs(cfg).forEach((spec, i) => {
    tensors.set(spec.name, { shape: spec.hfShape, values: seededValues(spec.hfShape.reduce((a, b) => a * b, 1), seed * 1000 + i) });
  });
  return { config: instructBlipConfigToHF(cfg), tensors };
}

/** A training-config object with `model.init`, sizes left to the checkpoint's config.json. */
export function initConfigJson(base: Json, checkpoint: string, lmDir: string, fresh?: string[]): Json {
  const { vision: _vision, qformer: _qformer, ...model } = base['model'];
  return { ...base, model: { ...model, lm: { checkpoint: lmDir }, init: { checkpoint, ...(fresh === undefined ? {} : { fresh }) } } };
}
