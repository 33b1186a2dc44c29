/**
 * A training config (trainer/configs/<name>.json): `model`, `train`, `data` and `mixture` sections,
 * validated in one place so every error names the file and the key. Paths inside the config are
 * relative to the working directory (the repository root), like the CLI's defaults.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenLimits } from '../../pipelines/format/index.ts';
import { assertTrainable, type MixtureConfig, parseMixtureConfig } from '../../pipelines/mixture/index.ts';
import type { BackendName } from '../backend.ts';
import type { LlamaConfig, QFormerConfig, VisionConfig } from '../model/config.ts';
import { type ModelInit, assertCheckpointsExist, checkpointSizes, mergeWithCheckpoint, parseInit } from './init-config.ts';

/** The LM's size for the demo's stage 0; vocabulary and special ids come from its generated tokenizer. */
export type LmShape = Omit<LlamaConfig, 'vocabSize' | 'bosTokenId' | 'eosTokenId' | 'padTokenId'>;

/** Stage 0: pretrain a small LM on caption-grounded text, cache it, then freeze it (trainer/demo). */
export interface Stage0Config {
  shape: LmShape;
  steps: number;
  batchSize: number;
  peakLr: number;
  warmupSteps: number;
  /** Renderings of each training record in the corpus (each with its own template and caption). */
  epochs: number;
  seed: number;
}

/** The frozen LM: an HF folder (config.json, model.safetensors, tokenizer.json) or the demo's stage 0. */
export type LmSource = { checkpoint: string } | { stage0: Stage0Config };

/** encoderHiddenSize comes from `vision`, vocabSize from the Q-Former tokenizer (or the init checkpoint's table). */
export type QFormerSection = Omit<QFormerConfig, 'encoderHiddenSize' | 'vocabSize'>;

export interface ModelSection {
  /** With an `init` checkpoint folder, the sizes the config leaves out are its config.json's. */
  vision: VisionConfig;
  qformer: QFormerSection;
  lm: LmSource;
  /** An HF InstructBLIP / BLIP-2 checkpoint for everything but the LM; without it, all of that is random. */
  init?: ModelInit;
  /** Seed of the random init of everything no checkpoint covers. */
  initSeed: number;
  /**
   * "lm-embedding-norm": initialise language_projection so a soft-prompt vector has the norm of an
   * LM token embedding (research/toy-learnability.md §3.7); "default": HF's init. Only for a fresh
   * language_projection: one from the init checkpoint is kept as trained.
   */
  softPromptInit: 'lm-embedding-norm' | 'default';
}

export interface ScheduleConfig {
  peakLr: number;
  /** Linear warmup from warmupStartLr to peakLr over warmupSteps, then cosine to minLr at the last step. */
  warmupStartLr: number;
  warmupSteps: number;
  minLr: number;
}

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled; never applied to biases, norms or any 1-D parameter (LAVIS's rule). */
  weightDecay: number;
}

export interface TrainSection {
  steps: number;
  /** Examples per optimizer step; a multiple of microBatchSize (gradient accumulation). */
  batchSize: number;
  /** Examples per forward/backward pass: what has to fit in memory. */
  microBatchSize: number;
  seed: number;
  schedule: ScheduleConfig;
  adamw: AdamWConfig;
  /** Global-norm gradient clipping; null for none. */
  clipGradNorm: number | null;
  checkpointEvery: number;
  keepCheckpoints: number;
  /** Held-in validation loss every N steps (0: never); validationBatches batches per dataset. */
  validateEvery: number;
  validationBatches: number;
  backend?: BackendName;
  threads?: number;
}

export interface DataSection {
  shardsDir: string;
  manifestsDir: string;
  imageSize: number;
  limits: TokenLimits;
  prefetch: number;
  /** Compute the frozen vision encoder once per image and keep its output (sound only because it is frozen). */
  cacheImageFeatures: boolean;
}

export interface TrainConfig {
  name: string;
  model: ModelSection;
  train: TrainSection;
  data: DataSection;
  mixture: MixtureConfig;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ConfigReader {
  constructor(readonly file: string) {}

  fail(key: string, message: string): never {
    throw new Error(`${this.file}: ${key}: ${message}`);
  }

  section(json: Json, key: string): Json {
    const value = json[key];
    if (!isObject(value)) this.fail(key, 'missing or not an object');
    return value;
  }

  number(json: Json, key: string, where: string, check: (n: number) => boolean = Number.isFinite, what = 'a finite number'): number {
    const value = json[key];
    if (typeof value !== 'number' || !check(value)) this.fail(`${where}.${key}`, `must be ${what}, got ${JSON.stringify(value)}`);
    return value;
  }

  positiveInt(json: Json, key: string, where: string): number {
    return this.number(json, key, where, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  }

  count(json: Json, key: string, where: string): number {
    return this.number(json, key, where, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  }

  boolean(json: Json, key: string, where: string): boolean {
    const value = json[key];
    if (typeof value !== 'boolean') this.fail(`${where}.${key}`, `must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  string(json: Json, key: string, where: string): string {
    const value = json[key];
    if (typeof value !== 'string' || value === '') this.fail(`${where}.${key}`, `must be a non-empty string, got ${JSON.stringify(value)}`);
    return value;
  }

  onlyKeys(json: Json, where: string, keys: readonly string[]): void {
    for (const key of Object.keys(json)) if (!keys.includes(key)) this.fail(`${where}.${key}`, `unknown key (known: ${keys.join(', ')})`);
  }
}

const VISION_KEYS = ['hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'imageSize', 'patchSize', 'layerNormEps', 'qkvBias'] as const;
const QFORMER_KEYS = ['hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'numQueryTokens', 'crossAttentionFrequency', 'layerNormEps', 'hiddenDropout', 'attentionDropout', 'instructionAware', 'maxPositionEmbeddings'] as const;
const LM_SHAPE_KEYS = ['hiddenSize', 'intermediateSize', 'numLayers', 'numHeads', 'numKeyValueHeads', 'headDim', 'rmsNormEps', 'ropeTheta', 'maxPositionEmbeddings', 'tieWordEmbeddings', 'attentionBias'] as const;

/** Reads `keys` of `json`: the `booleans` as booleans, the rest as non-negative numbers; `partial` skips absent keys. */
function typedRecord<K extends string>(r: ConfigReader, json: Json, where: string, keys: readonly K[], booleans: readonly K[], partial = false): Record<K, number | boolean> {
  r.onlyKeys(json, where, keys);
  const out = {} as Record<K, number | boolean>;
  for (const key of keys) {
    if (partial && json[key] === undefined) continue;
    out[key] = booleans.includes(key) ? r.boolean(json, key, where) : r.number(json, key, where, (n) => Number.isFinite(n) && n >= 0, 'a non-negative number');
  }
  return out;
}

/** model.vision or model.qformer: complete, or with an init folder whatever the config overrides of its config.json. */
function sizeSection<T extends object>(r: ConfigReader, json: Json, key: 'vision' | 'qformer', keys: readonly string[], booleans: readonly string[], fromCheckpoint: T | undefined, file: string): T {
  const where = `model.${key}`;
  if (fromCheckpoint === undefined) return typedRecord(r, r.section(json, key), where, keys, booleans) as unknown as T;
  const explicit = json[key] === undefined ? {} : typedRecord(r, r.section(json, key), where, keys, booleans, true);
  return mergeWithCheckpoint(r, where, explicit as Partial<T>, fromCheckpoint, file);
}

function parseStage0(r: ConfigReader, json: Json): Stage0Config {
  const where = 'model.lm.stage0';
  r.onlyKeys(json, where, ['shape', 'steps', 'batchSize', 'peakLr', 'warmupSteps', 'epochs', 'seed']);
  return {
    shape: typedRecord(r, r.section(json, 'shape'), `${where}.shape`, LM_SHAPE_KEYS, ['tieWordEmbeddings', 'attentionBias']) as unknown as LmShape,
    steps: r.count(json, 'steps', where),
    batchSize: r.positiveInt(json, 'batchSize', where),
    peakLr: r.number(json, 'peakLr', where, (n) => n > 0, 'a positive number'),
    warmupSteps: r.count(json, 'warmupSteps', where),
    epochs: r.positiveInt(json, 'epochs', where),
    seed: r.count(json, 'seed', where),
  };
}

function parseModel(r: ConfigReader, json: Json): ModelSection {
  r.onlyKeys(json, 'model', ['vision', 'qformer', 'lm', 'init', 'initSeed', 'softPromptInit']);
  const lm = r.section(json, 'lm');
  let source: LmSource;
  if (typeof lm.checkpoint === 'string') source = { checkpoint: lm.checkpoint };
  else if (isObject(lm.stage0)) source = { stage0: parseStage0(r, lm.stage0) };
  else r.fail('model.lm', 'must be {"checkpoint": "<HF folder>"} or {"stage0": {...}}');
  const softPromptInit = json.softPromptInit ?? 'lm-embedding-norm';
  if (softPromptInit !== 'lm-embedding-norm' && softPromptInit !== 'default') r.fail('model.softPromptInit', 'must be "lm-embedding-norm" or "default"');
  const init = json.init === undefined ? undefined : parseInit(r, r.section(json, 'init'));
  assertCheckpointsExist(r, [
    ...('checkpoint' in source ? [['model.lm.checkpoint', source.checkpoint] as const] : []),
    ...(init === undefined ? [] : [['model.init.checkpoint', init.checkpoint] as const]),
  ]);
  const sizes = init === undefined ? null : checkpointSizes(r, init.checkpoint);
  const file = sizes?.file ?? '';
  return {
    vision: sizeSection<VisionConfig>(r, json, 'vision', VISION_KEYS, ['qkvBias'], sizes?.vision, file),
    qformer: sizeSection<QFormerSection>(r, json, 'qformer', QFORMER_KEYS, ['instructionAware'], sizes?.qformer, file),
    lm: source,
    ...(init === undefined ? {} : { init }),
    initSeed: r.count(json, 'initSeed', 'model'),
    softPromptInit,
  };
}

function parseTrain(r: ConfigReader, json: Json): TrainSection {
  const where = 'train';
  r.onlyKeys(json, where, ['steps', 'batchSize', 'microBatchSize', 'seed', 'schedule', 'adamw', 'clipGradNorm', 'checkpointEvery', 'keepCheckpoints', 'validateEvery', 'validationBatches', 'backend', 'threads']);
  const schedule = r.section(json, 'schedule');
  r.onlyKeys(schedule, 'train.schedule', ['peakLr', 'warmupStartLr', 'warmupSteps', 'minLr']);
  const adamw = r.section(json, 'adamw');
  r.onlyKeys(adamw, 'train.adamw', ['beta1', 'beta2', 'epsilon', 'weightDecay']);
  const unit = (n: number) => n >= 0 && n < 1;
  const nonNegative = (n: number) => Number.isFinite(n) && n >= 0;
  const batchSize = r.positiveInt(json, 'batchSize', where);
  const microBatchSize = r.positiveInt(json, 'microBatchSize', where);
  if (batchSize % microBatchSize !== 0) r.fail('train.batchSize', `${batchSize} is not a multiple of microBatchSize ${microBatchSize}`);
  const clip = json.clipGradNorm ?? null;
  if (clip !== null && (typeof clip !== 'number' || !(clip > 0))) r.fail('train.clipGradNorm', 'must be a positive number or null');
  const backend = json.backend;
  if (backend !== undefined && !['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(backend as string)) r.fail('train.backend', 'must be tensorflow-gpu, tensorflow, wasm or cpu');
  const parsed: TrainSection = {
    steps: r.positiveInt(json, 'steps', where),
    batchSize,
    microBatchSize,
    seed: r.count(json, 'seed', where),
    schedule: {
      peakLr: r.number(schedule, 'peakLr', 'train.schedule', (n) => n > 0, 'a positive number'),
      warmupStartLr: r.number(schedule, 'warmupStartLr', 'train.schedule', nonNegative, 'a non-negative number'),
      warmupSteps: r.count(schedule, 'warmupSteps', 'train.schedule'),
      minLr: r.number(schedule, 'minLr', 'train.schedule', nonNegative, 'a non-negative number'),
    },
    adamw: {
      beta1: r.number(adamw, 'beta1', 'train.adamw', unit, 'in [0, 1)'),
      beta2: r.number(adamw, 'beta2', 'train.adamw', unit, 'in [0, 1)'),
      epsilon: r.number(adamw, 'epsilon', 'train.adamw', (n) => n > 0, 'a positive number'),
      weightDecay: r.number(adamw, 'weightDecay', 'train.adamw', nonNegative, 'a non-negative number'),
    },
    clipGradNorm: clip as number | null,
    checkpointEvery: r.positiveInt(json, 'checkpointEvery', where),
    keepCheckpoints: r.positiveInt(json, 'keepCheckpoints', where),
    validateEvery: r.count(json, 'validateEvery', where),
    validationBatches: r.positiveInt(json, 'validationBatches', where),
  };
  if (backend !== undefined) parsed.backend = backend as BackendName;
  if (json.threads !== undefined) parsed.threads = r.positiveInt(json, 'threads', where);
  return parsed;
}

function parseData(r: ConfigReader, json: Json): DataSection {
  const where = 'data';
  r.onlyKeys(json, where, ['shardsDir', 'manifestsDir', 'imageSize', 'limits', 'prefetch', 'cacheImageFeatures']);
  const limits = r.section(json, 'limits');
  r.onlyKeys(limits, 'data.limits', ['qformerInstruction', 'lmInstruction', 'target']);
  return {
    shardsDir: r.string(json, 'shardsDir', where),
    manifestsDir: r.string(json, 'manifestsDir', where),
    imageSize: r.positiveInt(json, 'imageSize', where),
    limits: {
      qformerInstruction: r.positiveInt(limits, 'qformerInstruction', 'data.limits'),
      lmInstruction: r.positiveInt(limits, 'lmInstruction', 'data.limits'),
      target: r.positiveInt(limits, 'target', 'data.limits'),
    },
    prefetch: r.count(json, 'prefetch', where),
    cacheImageFeatures: r.boolean(json, 'cacheImageFeatures', where),
  };
}

/** Validates a parsed config object; `file` names it in errors. */
export function parseTrainConfig(raw: unknown, file: string): TrainConfig {
  const r = new ConfigReader(file);
  if (!isObject(raw)) return r.fail('(top level)', 'expected a JSON object');
  const json: Json = raw;
  r.onlyKeys(json, '(top level)', ['name', 'notes', 'model', 'train', 'data', 'mixture']);
  const name = typeof json.name === 'string' && json.name !== '' ? json.name : path.basename(file, '.json');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) r.fail('name', `"${name}" must be a plain folder name (letters, digits, . _ -)`);
  const config: TrainConfig = {
    name,
    model: parseModel(r, r.section(json, 'model')),
    train: parseTrain(r, r.section(json, 'train')),
    data: parseData(r, r.section(json, 'data')),
    mixture: parseMixtureConfig(r.section(json, 'mixture'), file),
  };
  // A held-out dataset is for zero-shot evaluation only: refused here, before anything runs.
  for (const dataset of config.mixture.datasets) {
    try {
      assertTrainable(dataset);
    } catch (err) {
      r.fail('mixture.datasets', (err as Error).message);
    }
  }
  if (config.model.vision.imageSize !== config.data.imageSize) {
    r.fail('data.imageSize', `${config.data.imageSize} differs from model.vision.imageSize ${config.model.vision.imageSize}`);
  }
  return config;
}

export function loadTrainConfig(file: string): TrainConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the training config: ${(err as Error).message}`);
  }
  return parseTrainConfig(json, file);
}
