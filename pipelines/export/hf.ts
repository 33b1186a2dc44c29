/**
 * --format hf: folders that Hugging Face `datasets.load_from_disk` opens, laid out as
 * `save_to_disk` writes them (README.md in this folder has the sources):
 *   records:  <dataset>/dataset_dict.json and <dataset>/<split>/{data-NNNNN-of-MMMMM.arrow,
 *             dataset_info.json, state.json}, one data file per shard part (a DatasetDict);
 *   mixture:  data-00000-of-00001.arrow, dataset_info.json, state.json at the top (one Dataset).
 * Data files are Arrow IPC streams with every record (or example) column plus `image_data`, a
 * list of HF Image values {bytes, path}; the features are in the schema's `huggingface` metadata.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Binary, Field, List, type RecordBatch, Schema, Struct, Utf8 } from 'apache-arrow';
import { datasetInfo } from '../catalog.ts';
import { RECORD_SCHEMA } from '../record.ts';
import { writeArrowStreamFile } from './arrow-stream-file.ts';
import { EXAMPLE_SCHEMA, type ExportExample } from './example-schema.ts';
import { type ExportContext, type ExportedFile } from './export-context.ts';
import { featuresOf, type HfFeature, hfArrowSchema, IMAGE_FEATURE } from './hf-features.ts';
import { joinImages } from './image-column.ts';
import { mediaFileName } from './media-file-name.ts';
import type { SplitSelection } from './selection.ts';
import { exampleBatches, shardBatches } from './table-batches.ts';

export const IMAGE_DATA_FIELD = new Field('image_data', new List(new Field('item', new Struct([
  new Field('bytes', new Binary(), false),
  new Field('path', new Utf8(), false),
]), false)), false);

const IMAGE_DATA_FEATURE: HfFeature = { feature: IMAGE_FEATURE, _type: 'List' };

interface HfTable {
  schema: Schema;
  features: Record<string, HfFeature>;
}

function hfTable(base: Schema): HfTable {
  const schema = new Schema([...base.fields, IMAGE_DATA_FIELD]);
  const features = featuresOf(schema, { [IMAGE_DATA_FIELD.name]: IMAGE_DATA_FEATURE });
  return { schema: hfArrowSchema(schema, features), features };
}

const dataFileName = (index: number, count: number) => `data-${String(index).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.arrow`;

/** A small text file of the export; `relPath` is relative to the export folder. */
async function writeText(ctx: ExportContext, relPath: string, text: string): Promise<ExportedFile> {
  await writeFile(path.join(ctx.outDir, relPath), text, { flag: 'wx' });
  return { path: relPath, rows: 0, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

interface Describe {
  citation: string;
  description: string;
  homepage: string;
  license: string;
}

/** One HF Dataset folder: its data files from `sources` (each a stream of batches), dataset_info.json and state.json. */
async function writeDataset(
  relDir: string, table: HfTable, sources: (() => AsyncIterable<RecordBatch>)[], describe: Describe, split: string | null, ctx: ExportContext,
): Promise<ExportedFile[]> {
  const dir = path.join(ctx.outDir, relDir);
  mkdirSync(dir, { recursive: true });
  const files: ExportedFile[] = [];
  for (const [i, batches] of sources.entries()) {
    const name = dataFileName(i, sources.length);
    const joined = withImageData(batches(), table.schema, ctx);
    files.push({ path: path.posix.join(relDir, name), ...await writeArrowStreamFile(path.join(dir, name), table.schema, joined) });
  }
  const fingerprint = createHash('sha256').update(files.map((f) => f.sha256).join('\n')).digest('hex').slice(0, 16);
  // Key order as HF writes them: dataset_info.json's top level sorted, state.json fully sorted.
  const info = { citation: describe.citation, description: describe.description, features: table.features, homepage: describe.homepage, license: describe.license };
  const state = {
    _data_files: files.map((f) => ({ filename: path.posix.basename(f.path) })),
    _fingerprint: fingerprint, _format_columns: null, _format_kwargs: {}, _format_type: null, _output_all_columns: false, _split: split,
  };
  for (const [name, value] of [['dataset_info.json', info], ['state.json', state]] as const) {
    files.push(await writeText(ctx, path.posix.join(relDir, name), `${JSON.stringify(value, null, 2)}\n`));
  }
  return files;
}

async function* withImageData(batches: AsyncIterable<RecordBatch>, schema: Schema, ctx: ExportContext): AsyncGenerator<RecordBatch> {
  for await (const batch of batches) {
    yield* joinImages(batch, ctx.media, IMAGE_DATA_FIELD, (image) => ({ bytes: image.bytes, path: mediaFileName(image.key, image.format) }), ctx.imageChunkBytes, schema);
    ctx.progress?.(batch.numRows);
  }
}

export async function exportRecordsHf(selections: readonly SplitSelection[], ctx: ExportContext): Promise<ExportedFile[]> {
  const table = hfTable(RECORD_SCHEMA);
  const files: ExportedFile[] = [];
  const datasets = [...new Set(selections.map((s) => s.dataset))];
  for (const dataset of datasets) {
    const info = datasetInfo(dataset);
    const splits = selections.filter((s) => s.dataset === dataset);
    for (const selection of splits) {
      const relDir = path.posix.join(dataset, selection.split);
      const sources = selection.shards.map((shard) => () => shardBatches(ctx.shardsDir, shard.path));
      const describe = { citation: info.citation, description: info.title, homepage: info.homepage, license: info.license };
      files.push(...await writeDataset(relDir, table, sources, describe, selection.split, ctx));
    }
    // HF writes this one compact, without a trailing newline.
    files.push(await writeText(ctx, path.posix.join(dataset, 'dataset_dict.json'), JSON.stringify({ splits: splits.map((s) => s.split) })));
  }
  return files;
}

export async function exportExamplesHf(examples: AsyncIterable<ExportExample>, ctx: ExportContext): Promise<ExportedFile[]> {
  const describe = {
    citation: '', homepage: '',
    description: 'Rendered InstructBLIP training examples in sampler order (draw index n, template id, record id per example).',
    license: 'per dataset: see the manifests of the datasets listed in the dataset column',
  };
  return writeDataset('', hfTable(EXAMPLE_SCHEMA), [() => exampleBatches(examples)], describe, 'train', ctx);
}
