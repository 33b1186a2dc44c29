/**
 * The hf export checked against the format `datasets.save_to_disk` writes (pipelines/export/README.md
 * names the sources): file names, the JSON files' keys, Arrow *stream* data files read by polars,
 * features in the schema's `huggingface` metadata. When a Python with `datasets` is available
 * (HF_PYTHON, default python3), load_from_disk itself opens the export too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExport } from '../../pipelines/export/run-export.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { assertHfSchemaMetadata, hfSchema, readHfSplit, readJson } from './hf-layout.ts';
import { pl, polarsBinaryLists } from './readers.ts';

const python = process.env.HF_PYTHON ?? 'python3';
const hasDatasets = spawnSync(python, ['-c', 'import datasets'], { stdio: 'ignore' }).status === 0;

describe('hf export', () => {
  let fixture: Fixture;
  let out: string;

  before(async () => {
    fixture = await buildFixture();
    out = path.join(mkdtempSync(path.join(tmpdir(), 'export-hf-')), 'hf');
    await runExport({ format: 'hf', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out });
  });
  after(() => {
    fixture.cleanup();
    rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('lays out one DatasetDict per dataset as save_to_disk does', () => {
    for (const [key, records] of fixture.records) {
      const [dataset, split] = key.split('/');
      assert.deepEqual(readJson(path.join(out, dataset, 'dataset_dict.json')), { splits: [split] });
      const { frames } = readHfSplit(path.join(out, dataset, split), split);
      let rows = 0;
      for (const df of frames) {
        const ids = df.getColumn('id').toArray() as string[];
        assert.deepEqual(ids, records.slice(rows, rows + df.height).map((r) => r.id));
        const paths = df.select(pl.col('image_data').lst.eval(pl.element().struct.field('path'))).toRecords();
        const bytes = polarsBinaryLists(df, 'image_data', pl.element().struct.field('bytes'));
        records.slice(rows, rows + df.height).forEach((r, i) => {
          assert.equal((paths[i].image_data as unknown as string[]).length, r.images.length);
          assert.deepEqual(bytes[i], r.images.map((k) => fixture.images.get(k)));
        });
        rows += df.height;
      }
      assert.equal(rows, records.length, key);
    }
  });

  it('writes the features HF serializes, in dataset_info.json and in the Arrow schema metadata', async () => {
    const dir = path.join(out, 'visdial', 'val');
    const hf = readHfSplit(dir, 'val');
    const { info } = hf;
    assert.deepEqual(info.features.id, { dtype: 'string', _type: 'Value' });
    assert.deepEqual(info.features.heldOut, { dtype: 'bool', _type: 'Value' });
    assert.deepEqual(info.features.answerIndex, { dtype: 'int32', _type: 'Value' });
    assert.deepEqual(info.features.answerWeights, { feature: { dtype: 'float32', _type: 'Value' }, _type: 'List' });
    assert.deepEqual(info.features.dialog, {
      feature: { question: { dtype: 'string', _type: 'Value' }, answer: { dtype: 'string', _type: 'Value' } }, _type: 'List',
    });
    assert.deepEqual(info.features.image_data, { feature: { _type: 'Image' }, _type: 'List' });
    await assertHfSchemaMetadata(dir, hf);
    const schema = await hfSchema(path.join(dir, 'data-00000-of-00002.arrow'));
    const image = schema.fields.find((f) => f.name === 'image_data')!;
    assert.equal(String(image.type), 'List<Struct<{bytes:Binary, path:Utf8}>>');
  });

  it('is opened by datasets.load_from_disk', { skip: !hasDatasets && `no Python "datasets" (${python})` }, () => {
    const script = `
import datasets, json, sys
dd = datasets.load_from_disk(sys.argv[1])
v = dd['val']
r = v[6]
print(json.dumps({'rows': len(v), 'id': r['id'], 'dialog': v[3]['dialog'], 'frames': [im.size for im in r['image_data']]}))
`;
    const run = spawnSync(python, ['-c', script, path.join(out, 'visdial')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const got = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    const visdial = fixture.records.get('visdial/val')!;
    assert.equal(got.rows, visdial.length);
    assert.equal(got.id, visdial[6].id);
    assert.deepEqual(got.dialog, visdial[3].dialog);
    assert.deepEqual(got.frames, [[32, 32], [32, 32], [32, 32], [32, 32]]);
  });
});
