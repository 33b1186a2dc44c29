/**
 * Every export format over real built shards: datasets of the embedded sample mirror, built in a
 * temp folder as build-shards builds them (three held-in ones with list columns, and held-out Visual
 * Dialog with its rounds and MSVD-QA with its 4-frame videos), exported whole and as a mixture, then
 * read back by independent readers (readers.ts) and compared with our shard reader and media store.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ExportFormat, type ExportOptions, runExport } from '../../pipelines/export/run-export.ts';
import { MediaReader } from '../../pipelines/media/media-reader.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { buildShards } from '../../pipelines/shards/build/build-shards.ts';
import { type DatasetManifest, readAllManifests } from '../../pipelines/shards/manifest.ts';
import { loadAdapters, sampleDir } from '../../pipelines/sources/registry.ts';
import { builtParts, ourRecords, renderedExamples } from './expected.ts';
import { assertHfSchemaMetadata, readHfSplit, readJson } from './hf-layout.ts';
import { decodeImage, duckdbRows, pl, polarsBinaryLists, polarsReadIpc, readTar, sqlPath } from './readers.ts';

const HELD_IN = ['coco-caption', 'llava-conversation', 'vqav2'];
const HELD_OUT = ['msvd-qa', 'visdial'];
/** List columns that hold something in every record of the dataset (so an empty read is a bug). */
const FULL_LISTS: Record<string, (keyof InstructRecord)[]> = {
  'coco-caption': ['answers', 'answerWeights', 'images'], 'llava-conversation': ['conversation', 'images'],
  vqav2: ['answers', 'answerWeights', 'images'], 'msvd-qa': ['answers', 'images'], visdial: ['choices', 'answers', 'images'],
};
const LIST_COLUMNS = ['images', 'answers', 'answerWeights', 'choices', 'ocrTokens', 'dialog', 'conversation'] as const;
const SEED = 5;
const MIXTURE_EXAMPLES = 60;

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');
const datasetOf = (part: string) => part.split('/')[0];

describe('exports of the sample mirror\'s built shards, read back independently', () => {
  let root: string;
  let dirs: { shardsDir: string; manifestsDir: string };
  let manifests: DatasetManifest[];
  let media: MediaReader;
  /** Records by part path, as our reader reads them. */
  const records = new Map<string, InstructRecord[]>();
  const decoded = new Map<string, Promise<{ format: string; width: number; height: number }>>();
  const stored = async (key: string) => Buffer.from((await media.get(key)).bytes);
  /** Asserts `bytes` are the stored image `key`, and that sharp decodes them to the stored size (each key decoded once). */
  async function assertImage(bytes: Uint8Array, key: string, where: string) {
    const row = await media.get(key);
    assert.deepEqual(Buffer.from(bytes), Buffer.from(row.bytes), `${where}: bytes of ${key}`);
    if (!decoded.has(key)) decoded.set(key, decodeImage(bytes));
    assert.deepEqual(await decoded.get(key), { format: row.format, width: row.width, height: row.height }, where);
  }
  const exportTo = (format: ExportFormat, name: string, extra: Partial<ExportOptions> = {}) => runExport({
    format, ...dirs, outDir: path.join(root, name), seed: SEED, ...extra,
  });
  /** Our records of the held-in datasets, in the order a split export reads them. */
  const heldInRecords = () => builtParts(dirs.manifestsDir).filter((p) => HELD_IN.includes(datasetOf(p.path))).flatMap((p) => records.get(p.path)!);

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'export-sample-'));
    dirs = { shardsDir: path.join(root, 'shards'), manifestsDir: path.join(root, 'manifests') };
    const report = await buildShards({
      adapters: await loadAdapters(), datasets: [...HELD_IN, ...HELD_OUT], rawDir: path.join(root, 'raw'),
      raw: new RawAccess((s) => sampleDir(s)), ...dirs, imageWorkers: 1,
      // Small parts and batches, so splits span several files and exporters cross batch boundaries.
      sizes: { partBytes: 24 * 1024, batchRows: 16 },
    });
    assert.deepEqual(report.results.filter((r) => r.status !== 'built'), [], 'every dataset builds');
    manifests = readAllManifests(dirs.manifestsDir);
    media = await MediaReader.open(dirs.shardsDir);
    for (const part of builtParts(dirs.manifestsDir)) records.set(part.path, await ourRecords(dirs.shardsDir, part.path));
  });
  after(async () => {
    await media?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('builds list columns that hold values, in splits of several parts (polars reads the Arrow shards as we do)', () => {
    assert.ok(builtParts(dirs.manifestsDir).length > manifests.length, 'some split has several parts');
    for (const [part, list] of records) {
      for (const column of FULL_LISTS[datasetOf(part)]) {
        assert.ok(list.every((r) => (r[column] as unknown[]).length > 0), `${part}: every ${column} list holds values`);
      }
      assert.deepEqual(polarsReadIpc(path.join(dirs.shardsDir, part)).toRecords(), list, part);
    }
    assert.ok([...records].some(([part, list]) => part.startsWith('msvd-qa/') && list.every((r) => r.images.length === 4)), 'videos are 4 frames');
    assert.ok([...records].some(([part, list]) => part.startsWith('visdial/') && list.some((r) => r.dialog.length > 0)), 'visdial has rounds');
  });

  it('parquet: polars and DuckDB read every record, list and image of every split', async () => {
    const out = path.join(root, 'parquet');
    await exportTo('parquet', 'parquet');
    for (const [part, list] of records) {
      const df = pl.readParquet(path.join(out, part.replace(/\.arrow$/, '.parquet')));
      assert.deepEqual(df.drop('image_bytes').toRecords(), list, part);
      const images = polarsBinaryLists(df, 'image_bytes');
      for (const [i, r] of list.entries()) {
        assert.equal(images[i].length, r.images.length, `${r.id}: one image per key`);
        for (const [j, key] of r.images.entries()) await assertImage(images[i][j], key, `${part} ${r.id}`);
      }
    }
    const glob = sqlPath(path.join(out, '**', '*.parquet'));
    const counts = await duckdbRows(`select dataset, split, count(*)::int as n from read_parquet(${glob}) group by all order by all`);
    assert.deepEqual(counts, manifests.flatMap((m) => Object.entries(m.splits).map(([split, s]) => ({ dataset: m.dataset, split, n: s.records })))
      .sort((a, b) => (a.dataset + a.split < b.dataset + b.split ? -1 : 1)));
    const lengths = LIST_COLUMNS.map((c) => `[len(${c})::int]`).join(' || ');
    const rows = await duckdbRows(`select id, ${lengths} as lengths, [md5(b) for b in image_bytes] as md5s, question, answers, dialog, conversation
      from read_parquet(${glob})`);
    const byId = new Map([...records.values()].flat().map((r) => [r.id, r]));
    assert.equal(rows.length, byId.size);
    for (const row of rows) {
      const r = byId.get(row.id as string)!;
      assert.deepEqual(row.lengths, LIST_COLUMNS.map((c) => (r[c] as unknown[]).length), r.id);
      assert.deepEqual({ question: row.question, answers: row.answers, dialog: row.dialog, conversation: row.conversation },
        { question: r.question, answers: r.answers, dialog: r.dialog, conversation: r.conversation }, r.id);
      assert.deepEqual(row.md5s, await Promise.all(r.images.map(async (k) => md5(await stored(k)))), r.id);
    }
  });

  it('hf: one DatasetDict per dataset, laid out as save_to_disk does, with our records and images', async () => {
    const out = path.join(root, 'hf');
    await exportTo('hf', 'hf');
    for (const manifest of manifests) {
      assert.deepEqual(readJson(path.join(out, manifest.dataset, 'dataset_dict.json')), { splits: Object.keys(manifest.splits) });
      for (const [split, entry] of Object.entries(manifest.splits)) {
        const dir = path.join(out, manifest.dataset, split);
        const hf = readHfSplit(dir, split);
        assert.equal(hf.files.length, entry.shards.length, `${dir}: one data file per shard part`);
        await assertHfSchemaMetadata(dir, hf);
        for (const [i, df] of hf.frames.entries()) {
          const list = records.get(entry.shards[i].path)!;
          assert.equal(df.height, entry.shards[i].records);
          assert.deepEqual(df.getColumn('id').toArray(), list.map((r) => r.id));
          assert.deepEqual(df.getColumn('answers').toArray(), list.map((r) => r.answers));
          const images = polarsBinaryLists(df, 'image_data', pl.element().struct.field('bytes'));
          for (const [j, r] of list.entries()) for (const [k, key] of r.images.entries()) await assertImage(images[j][k], key, `${dir} ${r.id}`);
        }
      }
    }
  });

  it('lavis and llava: JSON our renderer\'s examples, with every image next to it', async () => {
    await exportTo('lavis', 'lavis', { datasets: HELD_IN });
    await exportTo('llava', 'llava', { datasets: HELD_IN });
    const expected = renderedExamples(heldInRecords(), SEED);
    type Entry = { image: string; images: string[] };
    const lavis = readJson(path.join(root, 'lavis', 'annotations.json')) as (Entry & { text_input: string; text_output: string; record_id: string })[];
    const llava = readJson(path.join(root, 'llava', 'llava.json')) as (Entry & { conversations: { from: string; value: string }[] })[];
    assert.equal(lavis.length, expected.length);
    assert.equal(llava.length, expected.length);
    for (const [i, { record, example }] of expected.entries()) {
      assert.deepEqual([lavis[i].record_id, lavis[i].text_input, lavis[i].text_output], [record.id, example.instruction, example.target]);
      assert.deepEqual(llava[i].conversations.map((c) => c.value), [`<image>\n${example.instruction}`, example.target]);
      for (const [dir, entry] of [['lavis', lavis[i]], ['llava', llava[i]]] as const) {
        assert.equal(entry.image, entry.images[0]);
        for (const [j, key] of record.images.entries()) {
          const file = path.join(root, dir, entry.images[j]);
          assert.ok(existsSync(file), file);
          await assertImage(readFileSync(file), key, file);
        }
      }
    }
    assert.ok(new Set(expected.map((e) => e.record.dataset)).size === HELD_IN.length, 'every held-in dataset exported');
  });

  it('webdataset: tar-stream reads each shard; every sample has its JSON and decodable images', async () => {
    const summary = await exportTo('webdataset', 'webdataset', { datasets: HELD_IN, webdataset: { maxBytes: 64 * 1024 } });
    const shards = summary.files.map((f) => f.path).sort();
    assert.ok(shards.length > 2, `several shards (${shards.length})`);
    const expected = renderedExamples(heldInRecords(), SEED);
    let i = 0;
    for (const shard of shards) {
      const members = new Map((await readTar(path.join(root, 'webdataset', shard))).map((m) => [m.name, m.data]));
      const keys = [...new Set([...members.keys()].map((name) => name.split('.')[0]))];
      for (const key of keys) {
        const sample = JSON.parse(members.get(`${key}.json`)!.toString('utf8'));
        const { record, example } = expected[i++];
        assert.deepEqual([sample.record_id, sample.instruction, sample.target], [record.id, example.instruction, example.target], key);
        assert.deepEqual(sample.image_keys, record.images);
        assert.deepEqual([...members.keys()].filter((name) => name.startsWith(`${key}.`)).sort(), [...sample.images, `${key}.json`].sort());
        for (const [j, name] of (sample.images as string[]).entries()) await assertImage(members.get(name)!, record.images[j], `${shard} ${name}`);
      }
    }
    assert.equal(i, expected.length);
  });

  it(`mixture export: ${MIXTURE_EXAMPLES} examples in draw order, read by polars and DuckDB`, async () => {
    const config = path.join(root, 'mixture.json');
    writeFileSync(config, JSON.stringify({ mixture: { policy: 'sqrt', seed: 11, datasets: HELD_IN } }));
    const out = path.join(root, 'mixture');
    await exportTo('parquet', 'mixture', { mixture: { config, examples: MIXTURE_EXAMPLES } });
    const file = path.join(out, 'examples.parquet');
    const df = pl.readParquet(file);
    assert.equal(df.height, MIXTURE_EXAMPLES);
    const rows = df.drop('image_bytes').toRecords();
    const images = polarsBinaryLists(df, 'image_bytes');
    const byId = new Map([...records.values()].flat().map((r) => [r.id, r]));
    for (const [i, row] of rows.entries()) {
      const record = byId.get(row.recordId as string);
      assert.ok(record && HELD_IN.includes(record.dataset), `${row.recordId} is a held-in record`);
      assert.deepEqual([row.dataset, row.split, row.images, row.sourceSha256], [record.dataset, record.split, record.images, record.sourceSha256]);
      for (const [j, key] of record.images.entries()) await assertImage(images[i][j], key, `example ${i}`);
    }
    const [summary] = await duckdbRows(`select count(*)::int n, count(distinct n)::int draws, min(n)::int first_draw,
      count(distinct dataset)::int datasets, bool_and(len(instruction) > 0 and len(target) > 0) texts from read_parquet(${sqlPath(file)})`);
    assert.deepEqual(summary, { n: MIXTURE_EXAMPLES, draws: MIXTURE_EXAMPLES, first_draw: 0, datasets: HELD_IN.length, texts: true });
    assert.deepEqual(rows.map((r) => r.n), [...rows.map((r) => r.n as number)].sort((a, b) => a - b), 'draw order');
  });
});
