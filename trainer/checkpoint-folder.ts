/**
 * HF checkpoint folders: `config.json` plus either one `model.safetensors` or shards listed in
 * `model.safetensors.index.json` ({"weight_map": {tensor name: shard file}}). Opening reads only the
 * headers; tensors are read one by one from their offsets when asked for, so a multi-GB checkpoint is
 * never in memory whole. Writing produces the same layout (sharded past `maxShardBytes`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../pipelines/util/atomic.ts';
import type { TensorLookup } from './model/hf-checkpoint.ts';
import { SafetensorsReader, type TensorData, type TensorToWrite, encodeSafetensors, fileSource, pathSource } from './weights.ts';

export const INDEX_FILE = 'model.safetensors.index.json';
export const SINGLE_FILE = 'model.safetensors';

export interface CheckpointFolder extends TensorLookup {
  readonly dir: string;
  /** The folder's config.json. */
  readonly config: Record<string, unknown>;
  close(): void;
}

function readJson(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `not valid JSON (${(error as Error).message})`}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: not a JSON object`);
  return value as Record<string, unknown>;
}

/** Tensor name -> shard file name, from the index or the folder's single file. */
function weightMap(dir: string, openShard: (file: string) => SafetensorsReader): Map<string, string> {
  const indexFile = path.join(dir, INDEX_FILE);
  if (fs.existsSync(indexFile)) {
    const map = readJson(indexFile)['weight_map'];
    if (typeof map !== 'object' || map === null || !Object.values(map).every((f) => typeof f === 'string')) throw new Error(`${indexFile}: "weight_map" must map tensor names to shard file names`);
    const entries = Object.entries(map as Record<string, string>);
    for (const [name, file] of entries) {
      if (path.basename(file) !== file) throw new Error(`${indexFile}: shard "${file}" of tensor "${name}" is not a plain file name in the folder`);
      if (!openShard(file).has(name)) throw new Error(`${indexFile}: tensor "${name}" is listed in ${file}, which does not contain it`);
    }
    return new Map(entries);
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
  const single = files.includes(SINGLE_FILE) ? SINGLE_FILE : files.length === 1 ? files[0]! : undefined;
  if (single === undefined) {
    throw new Error(
      files.length === 0
        ? `${dir}: no *.safetensors file (pytorch_model.bin checkpoints are not supported: convert them to safetensors first)`
        : `${dir}: ${files.length} safetensors files but no ${INDEX_FILE} saying which tensor is where`,
    );
  }
  return new Map([...openShard(single).tensors.keys()].map((name) => [name, single]));
}

export interface OpenFolderOptions {
  /**
   * Open a shard for each read instead of keeping it open, so the folder holds no file descriptor
   * and needs no close(): for a lookup handed to code that does not say when it is done (the LM's).
   */
  openPerRead?: boolean;
}

export function openCheckpointFolder(dir: string, options: OpenFolderOptions = {}): CheckpointFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`checkpoint folder ${dir} does not exist`);
  const config = readJson(path.join(dir, 'config.json'));
  const shards = new Map<string, { fd: number | null; reader: SafetensorsReader }>();
  const close = () => {
    for (const { fd } of shards.values()) if (fd !== null) fs.closeSync(fd);
    shards.clear();
  };
  const openShard = (file: string): SafetensorsReader => {
    let shard = shards.get(file);
    if (shard === undefined) {
      const full = path.join(dir, file);
      if (!fs.existsSync(full)) throw new Error(`${dir}: shard ${file} is missing`);
      const fd = options.openPerRead ? null : fs.openSync(full, 'r');
      try {
        shard = { fd, reader: new SafetensorsReader(fd === null ? pathSource(full) : fileSource(fd), full) };
      } catch (error) {
        if (fd !== null) fs.closeSync(fd);
        throw error;
      }
      shards.set(file, shard);
    }
    return shard.reader;
  };
  let map: Map<string, string>;
  try {
    map = weightMap(dir, openShard);
  } catch (error) {
    close();
    throw error;
  }
  return {
    dir,
    config,
    names: () => [...map.keys()],
    has: (name) => map.has(name),
    read(name): TensorData {
      const file = map.get(name);
      if (file === undefined) throw new Error(`${dir}: no tensor "${name}"`);
      return openShard(file).read(name);
    },
    close,
  };
}

/** Writes config.json and the tensors, sharded with an index once they pass `maxShardBytes`. */
export async function writeCheckpointFolder(dir: string, config: Record<string, unknown>, tensors: readonly TensorToWrite[], maxShardBytes = 2 * 1024 ** 3): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const shards: TensorToWrite[][] = [[]];
  let bytes = 0;
  for (const t of tensors) {
    const size = t.values.length * 4;
    if (bytes > 0 && bytes + size > maxShardBytes) {
      shards.push([]);
      bytes = 0;
    }
    shards[shards.length - 1]!.push(t);
    bytes += size;
  }
  const metadata = { format: 'pt' };
  if (shards.length === 1) {
    await writeFileAtomic(path.join(dir, SINGLE_FILE), encodeSafetensors(shards[0]!, metadata));
    removeStaleWeights(dir, [SINGLE_FILE]);
    return;
  }
  const weightMap: Record<string, string> = {};
  let total = 0;
  for (const [i, shard] of shards.entries()) {
    const file = `model-${String(i + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`;
    await writeFileAtomic(path.join(dir, file), encodeSafetensors(shard, metadata));
    for (const t of shard) {
      weightMap[t.name] = file;
      total += t.values.length * 4;
    }
  }
  await writeFileAtomic(path.join(dir, INDEX_FILE), `${JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2)}\n`);
  removeStaleWeights(dir, [...new Set(Object.values(weightMap)), INDEX_FILE]);
}

/** Drops weight files of an earlier save that this one did not write, which would otherwise mix in. */
function removeStaleWeights(dir: string, keep: string[]): void {
  for (const file of fs.readdirSync(dir)) {
    if ((/^model(-\d{5}-of-\d{5})?\.safetensors$/.test(file) || file === INDEX_FILE) && !keep.includes(file)) fs.rmSync(path.join(dir, file));
  }
}
