import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CATALOG } from '../../pipelines/catalog.ts';
import { buildShards } from '../../pipelines/shards/build/build-shards.ts';
import { datasetView } from '../../pipelines/shards/inspect/dataset-view.ts';
import type { InspectContext } from '../../pipelines/shards/inspect/inspect-view.ts';
import { summaryRows } from '../../pipelines/shards/inspect/summary-view.ts';
import type { AdapterOutput } from '../../pipelines/sources/types.ts';
import { photoJpeg } from '../media/fixture-images.ts';
import { fakeAdapter, imageRef, sourceRecord, writeRaw } from './fake-source.ts';

const root = mkdtempSync(path.join(tmpdir(), 'inspect-'));
const dirs = { shardsDir: path.join(root, 'shards'), manifestsDir: path.join(root, 'manifests') };
after(() => rmSync(root, { recursive: true, force: true }));
let photo: Buffer;

async function* outputs(): AsyncIterable<AdapterOutput> {
  for (let i = 0; i < 100; i++) yield { record: sourceRecord('okvqa', 'train', i, [imageRef('alpha', 'img.jpg')]) };
  for (let i = 0; i < 25; i++) yield { record: sourceRecord('aokvqa', 'train', i, []) };
  for (let i = 0; i < 10; i++) yield { record: sourceRecord('gqa', 'testdev', i, []) };
}

before(async () => {
  const rawDir = path.join(root, 'raw');
  photo = await photoJpeg(42, 640, 480);
  writeRaw(rawDir, 'alpha', 'annotations.json', '[]');
  writeRaw(rawDir, 'alpha', 'img.jpg', photo);
  const adapter = fakeAdapter({ source: 'alpha', datasets: ['okvqa', 'aokvqa', 'gqa'], files: ['annotations.json', 'img.jpg'], read: outputs });
  await buildShards({ adapters: [adapter], datasets: ['okvqa', 'aokvqa', 'gqa'], rawDir, ...dirs, imageWorkers: 1 });
});

test('the summary lists all 26 datasets, built or not, with sqrt probabilities over built held-in sets', async () => {
  const { rows, media } = await summaryRows(dirs.manifestsDir, dirs.shardsDir);
  assert.deepEqual(rows.map((r) => r.dataset), CATALOG.map((d) => d.id));
  const by = new Map(rows.map((r) => [r.dataset, r]));
  assert.deepEqual(rows.filter((r) => r.built).map((r) => r.dataset), ['okvqa', 'aokvqa', 'gqa']);
  assert.ok(Math.abs(by.get('okvqa')!.samplingProbability! - 10 / 15) < 1e-12);
  assert.ok(Math.abs(by.get('aokvqa')!.samplingProbability! - 5 / 15) < 1e-12);
  assert.equal(by.get('gqa')!.samplingProbability, null);
  assert.deepEqual(by.get('gqa')!.records, { testdev: 10 });
  assert.equal(media.images, 1);
});

test('a dataset view shows its manifest and example records with image keys and sizes', async () => {
  let text = '';
  const ctx: InspectContext = { ...dirs, json: false, values: { examples: '2' }, positionals: ['okvqa'], out: (t) => { text += t; } };
  await datasetView.run(ctx);
  const key = createHash('sha256').update(photo).digest('hex');
  assert.match(text, /^okvqa: OK-VQA\nheld-in \(training\); category knowledge-qa; task vqa/);
  assert.match(text, /train\s+100\s+1\s+/);
  assert.ok(text.includes(`okvqa/train/1  (annotations.json #1)\n  question: what is in picture 1?\n  answers: "thing 1"\n  image ${key}: 448x336 jpeg,`), text);
  assert.ok(!text.includes('okvqa/train/2 '));
});

test('the CLI answers --json and refuses a dataset that is not built', () => {
  const cli = path.join(import.meta.dirname, '../../pipelines/cli/inspect.ts');
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args, '--shards-dir', dirs.shardsDir, '--manifests-dir', dirs.manifestsDir], { encoding: 'utf8' });
  const json = run('--json');
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).datasets.length, 26);
  const one = JSON.parse(run('gqa', '--json').stdout);
  assert.deepEqual([one.manifest.dataset, one.split, one.examples.length], ['gqa', 'testdev', 3]);
  const missing = run('vizwiz');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /"vizwiz" is not built .*run npm run build-shards -- --datasets vizwiz/);
});
