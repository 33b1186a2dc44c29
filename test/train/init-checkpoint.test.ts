import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { INDEX_FILE } from '../../trainer/checkpoint-folder.ts';
import { type InstructBlip, LM_PREFIX } from '../../trainer/model/instructblip.ts';
import { writeSafetensorsFile } from '../../trainer/weights.ts';
import { AdamW } from '../../trainer/train/adamw.ts';
import { llamaConfigFromHF } from '../../trainer/model/config.ts';
import { buildModel, embeddingNorm, optimizedParams } from '../../trainer/train/build-model.ts';
import { parseTrainConfig, type TrainConfig } from '../../trainer/train/config.ts';
import { readLmFolder } from '../../trainer/train/lm-folder.ts';
import { frozenImageHidden } from '../../trainer/train/model.ts';
import { optimizerStep } from '../../trainer/train/step.ts';
import { GradientSum } from '../../trainer/train/gradients.ts';
import { bertUncasedTokenizer } from '../../trainer/train/tokenizers.ts';
import { type Fixture } from '../stream/fixture.ts';
import { tinyConfig } from './fixture.ts';
import {
  INSTRUCTBLIP_QFORMER_VOCAB, type Tensors, WORD_TABLE, goldenInstructBlip, initConfigJson, writeHfFolder, writeLmFolderFrom, writeQFormerTokenizer, writeRandomLmFolder,
} from './init-fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'init-checkpoint-'));
const ibDir = path.join(root, 'instructblip');
const lmDir = path.join(root, 'lm');
const { config: hfConfig, tensors } = goldenInstructBlip();
const QFORMER_VOCAB = bertUncasedTokenizer().vocabSize;
type Json = Record<string, any>;

before(async () => {
  await initBackend({ backend: 'cpu' });
  await writeLmFolderFrom(lmDir, hfConfig, tensors);
  // The checkpoint's own LM differs from model.lm's, so the test sees which one the model took.
  const checkpoint: Tensors = new Map([...tensors].map(([n, t]) => [n, n.startsWith(LM_PREFIX) ? { shape: t.shape, values: (t.values as Float32Array).map((v) => v * 2 + 1) } : t]));
  await writeHfFolder(ibDir, hfConfig, checkpoint);
  writeQFormerTokenizer(ibDir);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A training config (golden sizes: 8-px images) whose model section is `model` over the base's. */
function configJson(model: Json = {}): Json {
  const base = tinyConfig({ shardsDir: 'shards', manifestsDir: 'manifests' } as Fixture, lmDir) as unknown as Json;
  const json = initConfigJson({ ...base, data: { ...base['data'], imageSize: 8 } }, ibDir, lmDir);
  return { ...json, model: { ...json['model'], ...model, init: { ...json['model']['init'], ...model['init'] } } };
}

const parse = (json: Json): TrainConfig => parseTrainConfig(json, 'init.json');
const build = (config: TrainConfig): InstructBlip => buildModel(config.model, readLmFolder(lmDir), QFORMER_VOCAB);

/** Folder `name` holding the golden checkpoint after `edit`. */
async function variant(name: string, edit: (t: Tensors, config: Json) => void, maxShardBytes?: number): Promise<string> {
  const dir = path.join(root, name);
  const t = new Map(tensors);
  const config = structuredClone(hfConfig);
  edit(t, config);
  await writeHfFolder(dir, config, t, maxShardBytes);
  return dir;
}

/** The model's parameter `name` in HF layout equals `data`. */
function assertParam(model: InstructBlip, name: string, data: { shape: readonly number[]; values: ArrayLike<number> } | undefined, what: string): void {
  assert.ok(data !== undefined, `${name} is in the ${what}`);
  const value = model.params.get(name);
  const hfLayout = model.params.specs.get(name)!.linear ? value.transpose() : value;
  assert.deepEqual(hfLayout.shape, [...data.shape], name);
  assert.deepEqual(hfLayout.dataSync(), data.values, `${name} equals the ${what}'s tensor`);
  if (hfLayout !== value) hfLayout.dispose();
}

function assertMatchesCheckpoint(model: InstructBlip, expected: Tensors): void {
  for (const name of model.params.specs.keys()) if (!name.startsWith(LM_PREFIX)) assertParam(model, name, expected.get(name), 'checkpoint');
}

test('every parameter outside the LM equals the checkpoint tensor (Linear weights transposed); sizes come from config.json, the LM from model.lm', () => {
  const config = parse(configJson());
  assert.deepEqual(config.model.vision, { hiddenSize: 12, numLayers: 2, numHeads: 2, intermediateSize: 20, imageSize: 8, patchSize: 4, layerNormEps: 1e-6, qkvBias: true });
  assert.equal(config.model.qformer.numQueryTokens, 4);
  assert.equal(config.model.qformer.crossAttentionFrequency, 2);
  assert.equal(config.model.qformer.instructionAware, true, 'an InstructBLIP checkpoint takes instructions');
  const model = build(config);
  assert.equal(model.cfg.qformer.vocabSize, INSTRUCTBLIP_QFORMER_VOCAB, 'bert-base-uncased + [DEC]');
  const qkv = model.params.get('vision_model.encoder.layers.0.self_attn.qkv.weight');
  assert.deepEqual(qkv.shape, [12, 36], 'stored [in, out]; the checkpoint holds torch [out, in]');
  assertMatchesCheckpoint(model, tensors);
  const lm = readLmFolder(lmDir);
  for (const name of lm.weights.names()) assertParam(model, LM_PREFIX + name, lm.weights.read(name), 'LM folder');
  model.params.dispose();
});

test('a training step updates the trainable set; the frozen vision encoder and LM stay bit-identical', () => {
  const config = parse(configJson());
  const model = build(config);
  const snapshot = (trainable: boolean) => new Map([...model.params.specs.values()].filter((s) => s.trainable === trainable).map((s) => [s.name, Float32Array.from(model.params.get(s.name).dataSync())]));
  const frozen = snapshot(false);
  const trainable = snapshot(true);
  const int2d = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
  const batch = {
    imageHidden: frozenImageHidden(model, tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 5)),
    qformerInputIds: int2d([[101, 1037, 4937, 102], [101, 2054, 102, 0]]),
    qformerAttentionMask: int2d([[1, 1, 1, 1], [1, 1, 1, 0]]),
    inputIds: int2d([[1, 5, 6, 7, 2], [1, 8, 9, 2, 0]]),
    attentionMask: int2d([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]]),
    labels: int2d([[-100, -100, 6, 7, 2], [-100, 8, 9, 2, -100]]),
  };
  const optimizer = new AdamW(optimizedParams(model), config.train.adamw);
  const outcome = optimizerStep({ model, optimizer, seed: 1, clipGradNorm: 1, gradients: new GradientSum() }, [batch], 0, 1e-3);
  tf.dispose(Object.values(batch));
  assert.ok(outcome.finite && outcome.loss > 0, `loss ${outcome.loss}`);
  assert.ok([...frozen.keys()].some((n) => n.startsWith('vision_model.')) && [...frozen.keys()].some((n) => n.startsWith(LM_PREFIX)));
  for (const [name, values] of frozen) assert.deepEqual(model.params.get(name).dataSync(), values, `frozen ${name} changed`);
  for (const name of ['query_tokens', 'language_projection.weight', 'vision_model.post_layernorm.weight', 'qformer.encoder.layer.0.crossattention.attention.query.weight']) {
    assert.notDeepEqual(model.params.get(name).dataSync(), trainable.get(name), `${name} was updated`);
  }
  model.params.dispose();
});

test('a sharded folder loads the same tensors', async () => {
  const dir = await variant('sharded', () => undefined, 64 * 1024);
  assert.ok(existsSync(path.join(dir, INDEX_FILE)));
  assert.ok(readdirSync(dir).filter((f) => f.endsWith('.safetensors')).length >= 3, 'several shards');
  const model = build(parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: dir } } }));
  assertMatchesCheckpoint(model, tensors);
  model.params.dispose();
});

test('one .safetensors file loads with the sizes the config gives', async () => {
  const file = path.join(root, 'qformer-side.safetensors');
  await writeSafetensorsFile(file, [...tensors].filter(([n]) => !n.startsWith(LM_PREFIX)).map(([name, t]) => ({ name, ...t })));
  const sized = configJson();
  const explicit = parse(sized).model;
  const json = { ...sized, model: { ...sized['model'], vision: explicit.vision, qformer: explicit.qformer, init: { checkpoint: file } } };
  const model = build(parse(json));
  assertMatchesCheckpoint(model, tensors);
  model.params.dispose();
  const { vision: _vision, ...withoutVision } = json['model'];
  assert.throws(() => parse({ ...json, model: withoutVision }), /init\.json: vision: missing or not an object/);
});

test('a size the config gives must agree with the checkpoint, naming the field; dropout may differ', () => {
  assert.throws(() => parse(configJson({ qformer: { numQueryTokens: 8 } })), /init\.json: model\.qformer\.numQueryTokens: 8 disagrees with the checkpoint's 4 \(.*instructblip\/config\.json\)/);
  assert.throws(() => parse(configJson({ vision: { imageSize: 224 } })), /init\.json: model\.vision\.imageSize: 224 disagrees with the checkpoint's 8/);
  const config = parse(configJson({ qformer: { hiddenDropout: 0, numLayers: 2 } }));
  assert.equal(config.model.qformer.hiddenDropout, 0);
});

test('a wrong shape names the tensor and both shapes', async () => {
  const dir = await variant('wrong-shape', (t) => {
    t.set('qformer.encoder.layer.1.attention.attention.query.weight', { shape: [8, 16], values: new Float32Array(128) });
  });
  const config = parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: dir } } });
  assert.throws(() => build(config), /tensor "qformer\.encoder\.layer\.1\.attention\.attention\.query\.weight" has shape \[8,16\] but the model expects \[16,16\]/);
});

test('parameters the checkpoint lacks are listed in one error; tensors the model lacks are refused', async () => {
  const dir = await variant('missing', (t) => {
    for (const name of [...t.keys()]) if (name === 'query_tokens' || /\.intermediate\.dense\./.test(name)) t.delete(name);
  });
  const config = parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: dir } } });
  assert.throws(() => build(config), (err: Error) => {
    assert.match(err.message, /5 parameter\(s\) of the model are not in the checkpoint/);
    assert.match(err.message, /query_tokens\n/);
    assert.match(err.message, /qformer\.encoder\.layer\.\*\.intermediate\.dense\.weight \(2 layers\)/);
    assert.match(err.message, /model\.init\.fresh/);
    return true;
  });
  const fresh = parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: dir, fresh: ['query_tokens', 'qformer.encoder.layer.*.intermediate'] } } });
  const model = build(fresh);
  assert.deepEqual(model.params.get('qformer.encoder.layer.0.intermediate.dense.bias').dataSync(), new Float32Array(24), 'HF init: zero bias');
  model.params.dispose();

  const extra = await variant('extra', (t) => t.set('qformer.encoder.layer.0.extra.weight', { shape: [2], values: new Float32Array(2) }));
  assert.throws(() => build(parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: extra } } })), /1 tensor\(s\) the model does not have: qformer\.encoder\.layer\.0\.extra\.weight/);
  assert.throws(() => build(parse(configJson({ init: { fresh: ['qformer.nothing'] } }))), /model\.init\.fresh: "qformer\.nothing" matches no parameter/);
  assert.throws(() => parse(configJson({ init: { fresh: ['language_model.model'] } })), /init\.json: model\.init\.fresh: "language_model\.model": the LM is never initialised from here/);
});

test('the Q-Former tokenizer and the word table must agree', async () => {
  const rows = (n: number) => (t: Tensors) => t.set(WORD_TABLE, { shape: [n, 16], values: new Float32Array(n * 16) });
  const wide = await variant('vocab-30524', rows(30524));
  const config = parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: wide } } });
  assert.throws(() => build(config), /qformer\.embeddings\.word_embeddings\.weight has 30524 rows but the Q-Former tokenizer \(bert-base-uncased\) has 30522 tokens; InstructBLIP's table is bert-base-uncased \+ \[DEC\] = 30523 rows/);
  const fresh = buildModel({ ...config.model, init: { checkpoint: wide, fresh: ['qformer.embeddings.word_embeddings'] } }, readLmFolder(lmDir), QFORMER_VOCAB);
  assert.equal(fresh.cfg.qformer.vocabSize, QFORMER_VOCAB, 'a fresh table follows the tokenizer');
  fresh.params.dispose();

  const plain = await variant('vocab-30522', rows(30522));
  const bert = build(parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: plain } } }));
  assert.equal(bert.cfg.qformer.vocabSize, 30522, 'a bert-base-uncased table as is');
  bert.params.dispose();

  const other = await variant('other-tokenizer', () => undefined);
  writeQFormerTokenizer(other, (json) => {
    const vocab = json['model']['vocab'];
    [vocab['cat'], vocab['dog']] = [vocab['dog'], vocab['cat']];
  });
  assert.throws(() => build(parse({ ...configJson(), model: { ...configJson()['model'], init: { checkpoint: other } } })), /qformer_tokenizer\/tokenizer\.json: token "dog" has id 4937 where bert-base-uncased, which the trainer encodes instructions with, has 3899/);
});

test('language_projection for an LM of another width: an error naming both shapes, or fresh (and scaled) when the config says so', () => {
  const wideLm = path.join(root, 'lm-24');
  writeRandomLmFolder(wideLm, llamaConfigFromHF({ ...hfConfig['text_config'], hidden_size: 24, intermediate_size: 32, num_attention_heads: 4, num_key_value_heads: 2 }));
  const config = parse(configJson());
  assert.throws(() => buildModel(config.model, readLmFolder(wideLm), QFORMER_VOCAB), /tensor "language_projection\.weight" has shape \[16,16\] but the model expects \[24,16\]/);
  const model = buildModel({ ...config.model, init: { checkpoint: ibDir, fresh: ['language_projection'] } }, readLmFolder(wideLm), QFORMER_VOCAB);
  assert.deepEqual(model.params.get('language_projection.weight').shape, [16, 24]);
  assert.deepEqual(model.params.get('language_projection.bias').dataSync(), new Float32Array(24));
  const std = embeddingNorm(model) / Math.sqrt(16 * 24);
  const scale = tf.tidy(() => tf.moments(model.params.get('language_projection.weight')).variance.sqrt().dataSync()[0]!);
  assert.ok(Math.abs(scale - std) / std < 1e-3, `lm-embedding-norm scaled the fresh projection: std ${scale}, expected ${std}`);
  model.params.dispose();
});

test('a BLIP-2 checkpoint: its Q-Former LayerNorm serves InstructBLIP\'s; the instruction parts it lacks need "fresh"', async () => {
  const dir = await variant('blip2', (t, config) => {
    config['model_type'] = 'blip-2';
    for (const name of [...t.keys()]) {
      if (name.startsWith('qformer.embeddings.layernorm.')) t.set(name.replace('qformer.embeddings.', 'qformer.'), t.get(name)!);
      if (name.startsWith('qformer.embeddings.') || /\.layer\.\d+\.(intermediate|output)\./.test(name)) t.delete(name);
    }
  });
  const json = { ...configJson(), model: { ...configJson()['model'], init: { checkpoint: dir } } };
  const agnostic = parse(json);
  assert.equal(agnostic.model.qformer.instructionAware, false, 'BLIP-2 takes no instruction by default');
  const blip2 = build(agnostic);
  assert.deepEqual(blip2.params.get('qformer.layernorm.weight').dataSync(), tensors.get('qformer.embeddings.layernorm.weight')!.values);
  blip2.params.dispose();

  const aware = { ...json, model: { ...json.model, qformer: { instructionAware: true } } };
  assert.throws(() => build(parse(aware)), (err: Error) => {
    for (const name of ['qformer.embeddings.word_embeddings.weight', 'qformer.embeddings.position_embeddings.weight', 'qformer.encoder.layer.*.intermediate.dense.weight (2 layers)', 'qformer.encoder.layer.*.output.LayerNorm.bias (2 layers)']) {
      assert.ok(err.message.includes(name), `${name} listed in: ${err.message}`);
    }
    return true;
  });
  const fresh = ['qformer.embeddings.word_embeddings', 'qformer.embeddings.position_embeddings', 'qformer.encoder.layer.*.intermediate', 'qformer.encoder.layer.*.output'];
  const model = build(parse({ ...aware, model: { ...aware.model, init: { checkpoint: dir, fresh } } }));
  assert.equal(model.cfg.qformer.vocabSize, QFORMER_VOCAB);
  assert.deepEqual(model.params.get('qformer.embeddings.layernorm.weight').dataSync(), tensors.get('qformer.embeddings.layernorm.weight')!.values);
  assert.deepEqual(model.params.get('qformer.encoder.layer.0.output_query.dense.weight').transpose().dataSync(), tensors.get('qformer.encoder.layer.0.output_query.dense.weight')!.values);
  model.params.dispose();
});
