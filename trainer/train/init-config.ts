/**
 * `model.init` of a training config: an HF InstructBLIP or BLIP-2 checkpoint (a folder, sharded or
 * not, or one .safetensors file) whose tensors initialise everything but the LM. A folder's
 * config.json gives the vision encoder's and the Q-Former's sizes, so the config need not repeat
 * them; a size the config does give must agree, so a typo cannot quietly describe another model.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type VisionConfig, qformerConfigFromHF, visionConfigFromHF } from '../model/config.ts';
import { LM_PREFIX } from '../model/instructblip.ts';
import type { ConfigReader, QFormerSection } from './config.ts';

export interface ModelInit {
  /** HF folder (config.json + model.safetensors or shards with model.safetensors.index.json) or one .safetensors file. */
  checkpoint: string;
  /**
   * Parameters that start from model.initSeed instead of the checkpoint, as HF name prefixes where
   * `*` stands for one name part ("qformer.encoder.layer.*.intermediate"). Without an entry, a
   * parameter the checkpoint lacks is an error.
   */
  fresh: string[];
}

type Json = Record<string, unknown>;

/** Training choices, not sizes: a config may set them differently from the checkpoint. */
const TRAINING_CHOICES: readonly string[] = ['hiddenDropout', 'attentionDropout', 'instructionAware'];

export function parseInit(r: ConfigReader, json: Json): ModelInit {
  r.onlyKeys(json, 'model.init', ['checkpoint', 'fresh']);
  const checkpoint = r.string(json, 'checkpoint', 'model.init');
  const fresh = json.fresh ?? [];
  if (!Array.isArray(fresh) || !fresh.every((p): p is string => typeof p === 'string' && p !== '')) {
    r.fail('model.init.fresh', `must be a list of parameter name prefixes such as ["language_projection"], got ${JSON.stringify(fresh)}`);
  }
  for (const prefix of fresh) {
    if (`${prefix}.`.startsWith(LM_PREFIX)) r.fail('model.init.fresh', `"${prefix}": the LM is never initialised from here; it comes from model.lm`);
  }
  return { checkpoint, fresh };
}

/** Refuses a config naming checkpoint paths that do not exist, all of them in one message. */
export function assertCheckpointsExist(r: ConfigReader, paths: readonly (readonly [key: string, path: string])[]): void {
  const missing = paths.filter(([, p]) => !existsSync(p));
  if (missing.length === 0) return;
  const list = missing.map(([key, p]) => `${key}: ${p} does not exist`).join('; ');
  throw new Error(`${r.file}: ${list}. Download the checkpoints and give their folders here (paths are relative to the working directory; README.md, "Training on real checkpoints")`);
}

export interface CheckpointSizes {
  vision: VisionConfig;
  qformer: QFormerSection;
  /** The config.json they come from, for messages. */
  file: string;
}

/** The sizes in a checkpoint folder's config.json; null for a single .safetensors file, whose sizes the config gives. */
export function checkpointSizes(r: ConfigReader, checkpoint: string): CheckpointSizes | null {
  if (statSync(checkpoint).isFile()) return null;
  const file = path.join(checkpoint, 'config.json');
  let json: Json;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    return r.fail('model.init.checkpoint', `cannot read ${file}: ${(err as Error).message}`);
  }
  const type = json['model_type'];
  if (type !== 'instructblip' && type !== 'blip-2') r.fail('model.init.checkpoint', `${file}: model_type ${JSON.stringify(type)} is neither "instructblip" nor "blip-2"`);
  const vision = visionConfigFromHF((json['vision_config'] ?? {}) as Json);
  const numQueryTokens = (json['num_query_tokens'] ?? 32) as number;
  // BLIP-2's Q-Former takes no instruction; the config may still ask for one (InstructBLIP's recipe).
  const full = qformerConfigFromHF((json['qformer_config'] ?? {}) as Json, numQueryTokens, vision.hiddenSize, type === 'instructblip');
  const qformer: QFormerSection = {
    hiddenSize: full.hiddenSize, numLayers: full.numLayers, numHeads: full.numHeads, intermediateSize: full.intermediateSize,
    numQueryTokens: full.numQueryTokens, crossAttentionFrequency: full.crossAttentionFrequency, layerNormEps: full.layerNormEps,
    hiddenDropout: full.hiddenDropout, attentionDropout: full.attentionDropout, instructionAware: full.instructionAware,
    maxPositionEmbeddings: full.maxPositionEmbeddings,
  };
  return { vision, qformer, file };
}

/** What the config leaves out comes from the checkpoint; a size it gives must equal the checkpoint's. */
export function mergeWithCheckpoint<T extends object>(r: ConfigReader, where: string, explicit: Partial<T>, fromCheckpoint: T, file: string): T {
  for (const [key, value] of Object.entries(explicit)) {
    const expected = (fromCheckpoint as Record<string, unknown>)[key];
    if (value !== expected && !TRAINING_CHOICES.includes(key)) {
      r.fail(`${where}.${key}`, `${JSON.stringify(value)} disagrees with the checkpoint's ${JSON.stringify(expected)} (${file}); leave it out to use the checkpoint's`);
    }
  }
  return { ...fromCheckpoint, ...explicit };
}
