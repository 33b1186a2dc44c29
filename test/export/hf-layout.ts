/**
 * An hf export's split folder checked against what `datasets.save_to_disk` writes
 * (pipelines/export/README.md names the sources): file names, state.json keys, Arrow *stream* data
 * files; the data read back by polars, the schema by apache-arrow for its metadata.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { RecordBatchReader, type Schema } from 'apache-arrow';
import { pl } from './readers.ts';

export const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

function firstBytes(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, 0);
    return buf;
  } finally {
    closeSync(fd);
  }
}

export interface HfSplit {
  /** dataset_info.json */
  info: { features: Record<string, unknown> } & Record<string, unknown>;
  /** Data file names, in order. */
  files: string[];
  /** Each data file as polars reads it. */
  frames: pl.DataFrame[];
}

/** Asserts the layout of `<dir>` (one split as save_to_disk writes it) and reads its data files. */
export function readHfSplit(dir: string, split: string): HfSplit {
  const state = readJson(path.join(dir, 'state.json'));
  assert.deepEqual(Object.keys(state), ['_data_files', '_fingerprint', '_format_columns', '_format_kwargs', '_format_type', '_output_all_columns', '_split']);
  assert.equal(state._split, split);
  assert.match(state._fingerprint, /^[0-9a-f]{16}$/);
  const files = state._data_files.map((f: { filename: string }) => f.filename);
  files.forEach((name: string, i: number) => assert.equal(name, `data-${String(i).padStart(5, '0')}-of-${String(files.length).padStart(5, '0')}.arrow`));
  assert.deepEqual(readdirSync(dir).sort(), [...files, 'dataset_info.json', 'state.json'].sort());
  const info = readJson(path.join(dir, 'dataset_info.json'));
  assert.deepEqual(Object.keys(info), [...Object.keys(info)].sort(), 'top-level keys sorted, as HF dumps them');
  const frames = files.map((name: string) => {
    const file = path.join(dir, name);
    assert.notEqual(firstBytes(file, 6).toString('latin1'), 'ARROW1', `${name} must be an IPC stream, not an IPC file`);
    return pl.readIPCStream(readFileSync(file));
  });
  return { info, files, frames };
}

/** The Arrow schema of an hf data file (polars does not expose schema metadata). */
export async function hfSchema(file: string): Promise<Schema> {
  const reader = await RecordBatchReader.from(readFileSync(file));
  reader.open();
  return reader.schema;
}

/** Asserts the features in a data file's `huggingface` schema metadata are dataset_info.json's, every field nullable. */
export async function assertHfSchemaMetadata(dir: string, hf: HfSplit): Promise<void> {
  for (const name of hf.files) {
    const schema = await hfSchema(path.join(dir, name));
    assert.deepEqual(JSON.parse(schema.metadata.get('huggingface')!), { info: { features: hf.info.features } }, name);
    assert.ok(schema.fields.every((f) => f.nullable), `${name}: HF writes every field nullable`);
  }
}
