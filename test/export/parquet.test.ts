import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ExportSummary, runExport } from '../../pipelines/export/run-export.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { builtParts, ourRecords } from './expected.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { duckdbRows, pl, polarsBinaryLists, polarsReadIpc, sqlPath } from './readers.ts';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

const parts = (fixture: Fixture) => builtParts(fixture.manifestsDir);

describe('parquet export read by polars and DuckDB', () => {
  let fixture: Fixture;
  let out: string;
  let summary: ExportSummary;

  before(async () => {
    fixture = await buildFixture();
    out = path.join(mkdtempSync(path.join(tmpdir(), 'export-parquet-')), 'parquet');
    summary = await runExport({ format: 'parquet', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out });
  });
  after(() => {
    fixture.cleanup();
    rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('polars reads our Arrow shards (IPC files) with the values our reader gives', async () => {
    assert.ok(parts(fixture).length > 4, 'the fixture should have several parts');
    for (const part of parts(fixture)) {
      const ours = await ourRecords(fixture.shardsDir, part.path);
      const theirs = polarsReadIpc(path.join(fixture.shardsDir, part.path)).toRecords();
      assert.deepEqual(theirs, ours, part.path);
    }
  });

  it('writes one Parquet file per shard, and polars reads every record column intact', async () => {
    const files = summary.files.filter((f) => f.path.endsWith('.parquet')).map((f) => f.path).sort();
    assert.deepEqual(files, parts(fixture).map((p) => p.path.replace(/\.arrow$/, '.parquet')).sort());
    for (const part of parts(fixture)) {
      const file = path.join(out, part.path.replace(/\.arrow$/, '.parquet'));
      const df = pl.readParquet(file);
      assert.equal(df.height, part.records, file);
      const ours = await ourRecords(fixture.shardsDir, part.path);
      assert.deepEqual(df.drop('image_bytes').toRecords(), ours, file);
      polarsBinaryLists(df, 'image_bytes').forEach((got, i) => {
        assert.deepEqual(got, ours[i].images.map((k) => fixture.images.get(k)!), `${file} row ${i}`);
      });
    }
  });

  it('DuckDB reads the Parquet files: counts, list lengths and values', async () => {
    const glob = sqlPath(path.join(out, '**', '*.parquet'));
    const counts = await duckdbRows(`select dataset, split, count(*)::int as n from read_parquet(${glob}) group by all order by all`);
    const expected = [...fixture.records].map(([key, records]) => {
      const [dataset, split] = key.split('/');
      return { dataset, split, n: records.length };
    }).sort((a, b) => (a.dataset + a.split).localeCompare(b.dataset + b.split));
    assert.deepEqual(counts, expected);

    const all = [...fixture.records.values()].flat();
    const total = (f: (r: InstructRecord) => number) => all.reduce((sum, r) => sum + f(r), 0);
    const [lengths] = await duckdbRows(`select sum(len(answers))::int a, sum(len(answerWeights))::int w, sum(len(choices))::int c,
      sum(len(dialog))::int d, sum(len(conversation))::int v, sum(len(images))::int i, sum(len(image_bytes))::int b,
      sum(len(ocrTokens))::int o from read_parquet(${glob})`);
    assert.deepEqual(lengths, {
      a: total((r) => r.answers.length), w: total((r) => r.answerWeights.length), c: total((r) => r.choices.length),
      d: total((r) => r.dialog.length), v: total((r) => r.conversation.length), i: total((r) => r.images.length),
      b: total((r) => r.images.length), o: total((r) => r.ocrTokens.length),
    });

    const visdial = fixture.records.get('visdial/val')!;
    const rows = await duckdbRows(`select id, dialog, answerWeights, label, heldOut, question, meta,
      [md5(b) for b in image_bytes] as md5s from read_parquet(${glob}) where dataset = 'visdial' order by sourceIndex`);
    rows.forEach((row, i) => {
      const r = visdial[i];
      assert.equal(row.id, r.id);
      assert.deepEqual(row.dialog, r.dialog);
      assert.equal(row.label, r.label);
      assert.equal(row.heldOut, true);
      assert.equal(row.meta, null);
      assert.deepEqual(row.md5s, r.images.map((k) => md5(fixture.images.get(k)!)));
    });
    assert.equal((rows[6].md5s as string[]).length, 4, 'the video record keeps its four frames');

    const [vqa] = await duckdbRows(`select answerWeights, ocrTokens, question, conversation from read_parquet(${glob}) where id = 'vqav2/train/3'`);
    const record = fixture.records.get('vqav2/train')![3];
    assert.deepEqual(vqa.answerWeights, record.answerWeights.map(Math.fround));
    assert.deepEqual(vqa.ocrTokens, record.ocrTokens);
    assert.equal(vqa.question, record.question);
    const [llava] = await duckdbRows(`select conversation from read_parquet(${glob}) where id = 'llava-conversation/train/2'`);
    assert.deepEqual(llava.conversation, fixture.records.get('llava-conversation/train')![2].conversation);
  });

  it('cuts record batches into image-bounded slices without changing a value', async () => {
    const sliced = path.join(path.dirname(out), 'sliced');
    await runExport({ format: 'parquet', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: sliced, imageChunkBytes: 1 });
    for (const part of parts(fixture)) {
      const rel = part.path.replace(/\.arrow$/, '.parquet');
      const [whole, cut] = [out, sliced].map((dir) => pl.readParquet(path.join(dir, rel)));
      assert.deepEqual(cut.drop('image_bytes').toRecords(), whole.drop('image_bytes').toRecords(), rel);
      assert.deepEqual(polarsBinaryLists(cut, 'image_bytes'), polarsBinaryLists(whole, 'image_bytes'), rel);
    }
  });

  it('lists every file with its size and hash in export.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'export.json'), 'utf8'));
    assert.equal(manifest.format, 'parquet');
    assert.match(manifest.dataLock, /^[0-9a-f]{64}$/);
    for (const f of manifest.files) {
      const data = readFileSync(path.join(out, f.path));
      assert.equal(data.length, f.bytes, f.path);
      assert.equal(createHash('sha256').update(data).digest('hex'), f.sha256, f.path);
    }
  });
});
