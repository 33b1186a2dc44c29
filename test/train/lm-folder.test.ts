import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, mock, test } from 'node:test';
import { initBackend } from '../../trainer/backend.ts';
import { INDEX_FILE } from '../../trainer/checkpoint-folder.ts';
import { WORD_SPECIAL_IDS } from '../../trainer/demo/word-tokenizer.ts';
import type { LlamaConfig } from '../../trainer/model/config.ts';
import { type InstructBlip, LM_PREFIX } from '../../trainer/model/instructblip.ts';
import { buildModel } from '../../trainer/train/build-model.ts';
import { LM_FILES, readLmFolder } from '../../trainer/train/lm-folder.ts';
import { bertUncasedTokenizer } from '../../trainer/train/tokenizers.ts';
import { type TensorToWrite, encodeSafetensors, readSafetensorsFile, withSafetensorsFile } from '../../trainer/weights.ts';
import { bf16BitsToFloat, f16BitsToFloat, floatToBf16Bits, floatToF16Bits } from '../../trainer/weights-dtype.ts';
import type { Fixture } from '../stream/fixture.ts';
import { TINY_LM_SHAPE, tinyConfig } from './fixture.ts';
import { writeRandomLmFolder } from './init-fixture.ts';

const root = fs.mkdtempSync(path.join(tmpdir(), 'lm-folder-'));
const singleDir = path.join(root, 'single');
const shardedDir = path.join(root, 'sharded');
const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
const UNUSED = 'unused.big';
const UNUSED_ELEMENTS = 1 << 20;
const QFORMER_VOCAB = bertUncasedTokenizer().vocabSize;
const LM: LlamaConfig = {
  ...TINY_LM_SHAPE, tieWordEmbeddings: false, vocabSize: 9, bosTokenId: WORD_SPECIAL_IDS.bos, eosTokenId: WORD_SPECIAL_IDS.eos, padTokenId: WORD_SPECIAL_IDS.pad,
};

const ROUND: Record<'F16' | 'BF16', (v: number) => number> = {
  F16: (v) => f16BitsToFloat(floatToF16Bits(v)),
  BF16: (v) => bf16BitsToFloat(floatToBf16Bits(v)),
};

/** Copies `from` without its weights and writes `shards` (file -> tensors) with an index naming them. */
function writeSharded(from: string, dir: string, shards: Record<string, TensorToWrite[]>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(from)) if (file !== LM_FILES.weights) fs.copyFileSync(path.join(from, file), path.join(dir, file));
  const weightMap: Record<string, string> = {};
  for (const [file, tensors] of Object.entries(shards)) {
    fs.writeFileSync(path.join(dir, file), encodeSafetensors(tensors, { format: 'pt' }));
    for (const t of tensors) weightMap[t.name] = file;
  }
  fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ metadata: {}, weight_map: weightMap }));
}

/**
 * The single-file folder holds float32 values that half precision represents exactly; the sharded
 * one stores the same values as F16 in the first shard and BF16 in the second, plus a large tensor
 * the model has no parameter for.
 */
before(async () => {
  await initBackend({ backend: 'cpu' });
  writeRandomLmFolder(singleDir, LM);
  const stored = readSafetensorsFile(path.join(singleDir, LM_FILES.weights)).tensors;
  const names = [...stored.keys()].sort();
  const dtypeOf = (name: string): 'F16' | 'BF16' => (names.indexOf(name) < names.length / 2 ? 'F16' : 'BF16');
  const tensors = [...stored].map(([name, t]) => ({ name, shape: t.shape, values: (t.values as Float32Array).map(ROUND[dtypeOf(name)]), dtype: dtypeOf(name) }));
  fs.writeFileSync(path.join(singleDir, LM_FILES.weights), encodeSafetensors(tensors.map((t) => ({ ...t, dtype: 'F32' })), { format: 'pt' }));
  writeSharded(singleDir, shardedDir, {
    [SHARDS[0]!]: tensors.filter((t) => t.dtype === 'F16'),
    [SHARDS[1]!]: [...tensors.filter((t) => t.dtype === 'BF16'), { name: UNUSED, shape: [UNUSED_ELEMENTS], values: new Float32Array(UNUSED_ELEMENTS) }],
  });
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const build = (dir: string): InstructBlip => buildModel(tinyConfig({} as Fixture, dir).model, readLmFolder(dir), QFORMER_VOCAB);

test('an LM sharded in two files with an index (F16 and BF16) loads to the same parameters as the single float32 file', () => {
  const single = build(singleDir);
  const sharded = build(shardedDir);
  try {
    const lmNames = [...single.params.specs.keys()].filter((n) => n.startsWith(LM_PREFIX));
    assert.equal(lmNames.length, readSafetensorsFile(path.join(singleDir, LM_FILES.weights)).tensors.size);
    for (const name of lmNames) assert.deepEqual(sharded.params.get(name).dataSync(), single.params.get(name).dataSync(), name);
  } finally {
    single.params.dispose();
    sharded.params.dispose();
  }
});

test('a shard the index names but the folder lacks is an error naming the file', () => {
  const dir = path.join(root, 'missing-shard');
  fs.cpSync(shardedDir, dir, { recursive: true });
  fs.rmSync(path.join(dir, SHARDS[1]!));
  assert.throws(() => readLmFolder(dir), new RegExp(`${dir}: shard ${SHARDS[1]!.replace(/\./g, '\\.')} is missing`));
});

test('a folder with only pytorch_model.bin weights says safetensors are needed and how to convert', () => {
  const dir = path.join(root, 'pickled');
  fs.mkdirSync(dir);
  for (const file of [LM_FILES.config, LM_FILES.tokenizer]) fs.copyFileSync(path.join(singleDir, file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, 'pytorch_model-00001-of-00002.bin'), 'pickle');
  fs.writeFileSync(path.join(dir, 'pytorch_model.bin.index.json'), '{}');
  assert.throws(() => readLmFolder(dir), (err: Error) => {
    assert.match(err.message, /has pytorch_model-00001-of-00002\.bin but no safetensors/);
    assert.ok(err.message.includes(`from_pretrained('${dir}', torch_dtype='auto').save_pretrained('${dir}', safe_serialization=True)`), err.message);
    return true;
  });
});

/** Where a shard's tensor bytes begin: after the 8-byte header length and the header. */
function dataStart(file: string): number {
  const head = fs.readFileSync(file).subarray(0, 8);
  return 8 + Number(head.readBigUInt64LE(0));
}

test('reading the folder reads headers only; building the model reads the tensors it asks for, never the unused one', () => {
  const shards = SHARDS.map((f) => path.join(shardedDir, f));
  const starts = new Map(shards.map((f) => [f, dataStart(f)]));
  const entry = withSafetensorsFile(shards[1]!, (reader) => reader.entry(UNUSED));
  const unused = { from: starts.get(shards[1]!)! + entry.begin, to: starts.get(shards[1]!)! + entry.end };
  const realOpen = fs.openSync;
  const realRead = fs.readSync;
  const files = new Map<number, string>();
  const reads: { file: string; from: number; to: number }[] = [];
  mock.method(fs, 'openSync', (file: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    const fd = realOpen(file, flags ?? 'r', mode);
    files.set(fd, String(file));
    return fd;
  });
  mock.method(fs, 'readSync', (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => {
    reads.push({ file: files.get(fd) ?? '', from: position, to: position + length });
    return realRead(fd, buffer, offset, length, position);
  });
  try {
    const tensorReads = () => reads.filter((r) => starts.has(r.file) && r.to > starts.get(r.file)!);
    const lm = readLmFolder(shardedDir);
    assert.deepEqual(tensorReads(), [], 'opening the folder reads no tensor data');
    buildModel(tinyConfig({} as Fixture, shardedDir).model, lm, QFORMER_VOCAB).params.dispose();
    const read = tensorReads();
    for (const shard of shards) assert.ok(read.some((r) => r.file === shard), `${shard} was read`);
    assert.deepEqual(read.filter((r) => r.file === shards[1] && r.from < unused.to && r.to > unused.from), [], 'the unused tensor is never read');
  } finally {
    mock.restoreAll();
  }
});
