import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MediaReader } from '../../pipelines/media/media-reader.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { buildShards, type BuildOptions } from '../../pipelines/shards/build/build-shards.ts';
import { readDatasetManifest, readIndex } from '../../pipelines/shards/manifest.ts';
import { readSplit } from '../../pipelines/shards/shard-reader.ts';
import { verifyShards } from '../../pipelines/shards/verify.ts';
import type { AdapterOutput, SourceAdapter } from '../../pipelines/sources/types.ts';
import { photoJpeg } from '../media/fixture-images.ts';
import { fakeAdapter, imageRef, sourceRecord, writeRaw } from './fake-source.ts';

const root = mkdtempSync(path.join(tmpdir(), 'build-shards-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let photos: Buffer[];
before(async () => {
  photos = await Promise.all(Array.from({ length: 6 }, (_, i) => photoJpeg(500 + i, 320, 240)));
});

let runs = 0;
function workspace() {
  const dir = path.join(root, String(runs++));
  const rawDir = path.join(dir, 'raw');
  photos.forEach((p, i) => writeRaw(rawDir, 'pics', `img/${i}.jpg`, p));
  writeRaw(rawDir, 'pics', 'img/broken.jpg', 'not a jpeg');
  writeRaw(rawDir, 'alpha', 'annotations.json', '{"v":1}');
  writeRaw(rawDir, 'beta', 'annotations.json', '{"v":1}');
  const options = (adapters: SourceAdapter[], datasets: string[], extra: Partial<BuildOptions> = {}): BuildOptions => ({
    adapters, datasets, rawDir, shardsDir: path.join(dir, 'shards'), manifestsDir: path.join(dir, 'manifests'), imageWorkers: 2, ...extra,
  });
  return { dir, rawDir, options };
}

async function* emit(outputs: AdapterOutput[]) {
  yield* outputs;
}

const pics = { source: 'pics', datasets: [], files: [0, 1, 2, 3, 4, 5].map((i) => `img/${i}.jpg`), read: () => emit([]) };

/** `alpha` makes coco-caption train from images 0-3; `beta` makes textcaps train+val from images 2-5. */
function twoSources(version = '1') {
  const alpha = fakeAdapter({
    source: 'alpha', datasets: ['coco-caption'], version, uses: ['pics'], files: ['annotations.json'],
    read: () => emit([0, 1, 2, 3].map((i) => ({ record: sourceRecord('coco-caption', 'train', i, [imageRef('pics', `img/${i}.jpg`)]) }))),
  });
  const beta = fakeAdapter({
    source: 'beta', datasets: ['textcaps'], uses: ['pics'], files: ['annotations.json'],
    read: () => emit([2, 3, 4, 5, 2].map((i, n) => ({ record: sourceRecord('textcaps', n < 4 ? 'train' : 'val', n, [imageRef('pics', `img/${i}.jpg`)]) }))),
  });
  return [alpha, beta, fakeAdapter(pics)];
}

test('two datasets sharing images: the media store grows once, records point at the shared keys', async () => {
  const { options } = workspace();
  const opts = options(twoSources(), ['coco-caption']);
  const first = await buildShards(opts);
  assert.deepEqual(first.results.map((r) => [r.dataset, r.status]), [['coco-caption', 'built']]);
  const second = await buildShards({ ...opts, datasets: ['textcaps'] });
  assert.deepEqual(second.results.map((r) => [r.dataset, r.status]), [['textcaps', 'built']]);

  const coco = readDatasetManifest(opts.manifestsDir, 'coco-caption')!;
  const textcaps = readDatasetManifest(opts.manifestsDir, 'textcaps')!;
  assert.deepEqual(coco.media, { imagesReferenced: 4, newImagesStored: 4, newImageBytes: coco.media.newImageBytes, videos: 0 });
  assert.deepEqual([textcaps.media.imagesReferenced, textcaps.media.newImagesStored], [4, 2]);
  assert.equal(second.index.media.images, 6, 'six distinct images stored, not eight');

  const records = [];
  for await (const r of readSplit(opts, 'textcaps', 'train')) records.push(r);
  assert.deepEqual(records.map((r) => r.images), [[sha(photos[2])], [sha(photos[3])], [sha(photos[4])], [sha(photos[5])]]);
  assert.deepEqual([records[0].task, records[0].category, records[0].heldOut, records[0].sourceSha256], ['caption', 'image-captioning-reading', false, sha(Buffer.from('{"v":1}'))]);
  const reader = await MediaReader.open(opts.shardsDir);
  assert.equal((await reader.get(sha(photos[2]))).width, 320);
  await reader.close();

  const index = readIndex(opts.manifestsDir)!;
  assert.deepEqual(index.datasets.map((d) => [d.dataset, d.trainingRecords]), [['coco-caption', 4], ['textcaps', 4]]);
  assert.deepEqual(index.datasets.map((d) => d.samplingProbability), [0.5, 0.5]);
  assert.deepEqual((await verifyShards(opts)).problems, []);
});

test('quarantined records are counted per reason and written to quarantine.jsonl; skips are counted per rule', async () => {
  const { options } = workspace();
  const outputs: AdapterOutput[] = [
    ...Array.from({ length: 300 }, (_, i) => ({ record: sourceRecord('gqa', 'testdev', i, [imageRef('pics', `img/${i % 6}.jpg`)]) })),
    { record: sourceRecord('gqa', 'testdev', 300, [imageRef('pics', 'img/missing.jpg')]) },
    { record: sourceRecord('gqa', 'testdev', 301, [imageRef('pics', 'img/broken.jpg')]) },
    { quarantine: { dataset: 'gqa', split: 'testdev', sourceFile: 'annotations.json', sourceIndex: 302, reason: 'missing-field', detail: 'no question' } },
    { skip: { dataset: 'gqa', split: 'testdev', rule: 'no-image' } },
  ];
  const adapter = fakeAdapter({ source: 'alpha', datasets: ['gqa'], files: ['annotations.json'], uses: ['pics'], read: () => emit(outputs) });
  const opts = options([adapter, fakeAdapter(pics)], ['gqa']);
  const report = await buildShards(opts);
  assert.equal(report.results[0].status, 'built', report.results[0].message);
  const split = readDatasetManifest(opts.manifestsDir, 'gqa')!.splits.testdev;
  assert.equal(split.records, 300);
  assert.deepEqual(split.quarantined, { total: 3, reasons: { 'unknown-image': 1, 'unreadable-image': 1, 'missing-field': 1 }, file: 'gqa/testdev/quarantine.jsonl' });
  assert.deepEqual(split.skipped, { 'no-image': 1 });
  const lines = readFileSync(path.join(opts.shardsDir, 'gqa/testdev/quarantine.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.sourceIndex, l.reason]), [[300, 'unknown-image'], [301, 'unreadable-image'], [302, 'missing-field']]);
  assert.match(lines[1].detail, /^pics\/img\/broken\.jpg: .+/);
  assert.equal(lines[0].id, 'gqa/testdev/300');
});

test('past the error budget the dataset fails with dataset, split, counts and top reasons, and has no manifest', async () => {
  const { options } = workspace();
  const outputs: AdapterOutput[] = Array.from({ length: 50 }, (_, i) => ({
    record: sourceRecord('vizwiz', 'val', i, [imageRef('pics', i % 10 === 0 ? 'img/missing.jpg' : `img/${i % 6}.jpg`)]),
  }));
  const adapter = fakeAdapter({ source: 'alpha', datasets: ['vizwiz'], files: ['annotations.json'], uses: ['pics'], read: () => emit(outputs) });
  const opts = options([adapter, fakeAdapter(pics)], ['vizwiz']);
  const [result] = (await buildShards(opts)).results;
  assert.equal(result.status, 'failed');
  assert.match(result.message, /^vizwiz: split val quarantined 5 of 50 records \(10\.0%\), over the error budget of 1\.0%; top reasons: unknown-image 5\./);
  assert.equal(readDatasetManifest(opts.manifestsDir, 'vizwiz'), null);
  assert.deepEqual(readdirSync(path.join(opts.shardsDir, 'vizwiz/val')), ['quarantine.jsonl']);
  const relaxed = await buildShards({ ...opts, errorBudget: 0.2 });
  assert.equal(relaxed.results[0].status, 'built');
});

test('a second run skips what is up to date; a changed raw file, adapter version or --force rebuilds', async () => {
  const { rawDir, options } = workspace();
  const opts = options(twoSources(), ['coco-caption', 'textcaps']);
  assert.deepEqual((await buildShards(opts)).results.map((r) => r.status), ['built', 'built']);
  const before = readDatasetManifest(opts.manifestsDir, 'coco-caption')!.builtAt;
  const again = await buildShards(opts);
  assert.deepEqual(again.results.map((r) => r.status), ['up-to-date', 'up-to-date']);
  assert.match(again.results[0].message, /up to date \(adapter 1, \d+ raw inputs unchanged\); --force rebuilds/);
  assert.equal(readDatasetManifest(opts.manifestsDir, 'coco-caption')!.builtAt, before);

  writeRaw(rawDir, 'beta', 'annotations.json', '{"v":2}');
  assert.deepEqual((await buildShards(opts)).results.map((r) => r.status), ['up-to-date', 'built']);
  assert.deepEqual((await buildShards({ ...opts, adapters: twoSources('2') })).results.map((r) => r.status), ['built', 'up-to-date']);
  writeRaw(rawDir, 'pics', 'img/0.jpg', photos[5]);
  assert.deepEqual((await buildShards(opts)).results.map((r) => r.status), ['built', 'built'], 'a used source changing rebuilds its users');
  assert.deepEqual((await buildShards({ ...opts, force: true })).results.map((r) => r.status), ['built', 'built']);
  assert.deepEqual((await verifyShards(opts)).problems, []);
});

test('a dataset not built yet is read while its raw inputs are hashed; their hashes reach the manifest, and a failed hash fails it', async () => {
  const { rawDir, options } = workspace();
  let readStarted: () => void = () => undefined;
  const reading = new Promise<void>((resolve) => { readStarted = resolve; });
  /** Hashes only once the adapter reads: a build that waited for the hashes first would never finish. */
  class HashAfterRead extends RawAccess {
    constructor(private readonly failing: string | null) {
      super((source) => path.join(rawDir, source));
    }

    override async sha256(source: string, rel: string): Promise<string> {
      await reading;
      if (rel === this.failing) throw new Error(`EACCES: cannot read ${rel}`);
      return super.sha256(source, rel);
    }
  }
  const adapter = () => fakeAdapter({
    source: 'alpha', datasets: ['okvqa'], files: ['annotations.json'], uses: ['pics'],
    read: () => {
      readStarted();
      return emit([0, 1].map((i) => ({ record: sourceRecord('okvqa', 'train', i, [imageRef('pics', `img/${i}.jpg`)]) })));
    },
  });
  const opts = options([adapter(), fakeAdapter(pics)], ['okvqa'], { raw: new HashAfterRead(null) });
  assert.deepEqual((await buildShards(opts)).results.map((r) => r.status), ['built']);
  const inputs = readDatasetManifest(opts.manifestsDir, 'okvqa')!.rawInputs;
  assert.deepEqual(inputs.map((i) => `${i.source}/${i.path}`), ['alpha/annotations.json', ...pics.files.map((f) => `pics/${f}`)]);
  assert.equal(inputs[0].sha256, sha(readFileSync(path.join(rawDir, 'alpha', 'annotations.json'))));

  const failing = options([adapter(), fakeAdapter(pics)], ['okvqa'], { raw: new HashAfterRead('annotations.json'), force: true });
  const [result] = (await buildShards(failing)).results;
  assert.equal(result.status, 'failed');
  assert.match(result.message, /EACCES: cannot read annotations\.json/);
  assert.equal(existsSync(path.join(failing.shardsDir, 'okvqa')), false);
  assert.equal(readDatasetManifest(failing.manifestsDir, 'okvqa'), null);
});

test('an adapter that throws fails its datasets and leaves no shards and no manifest', async () => {
  const { options } = workspace();
  async function* broken(): AsyncIterable<AdapterOutput> {
    for (let i = 0; i < 10; i++) yield { record: sourceRecord('okvqa', 'train', i, []) };
    throw new Error('annotations.json: unexpected end of JSON');
  }
  const adapter = fakeAdapter({ source: 'alpha', datasets: ['okvqa', 'okvqa-qg'], files: ['annotations.json'], read: broken });
  const opts = options([adapter], ['okvqa']);
  const [result] = (await buildShards(opts)).results;
  assert.deepEqual([result.dataset, result.status, result.message], ['okvqa', 'failed', 'alpha: annotations.json: unexpected end of JSON']);
  assert.equal(existsSync(path.join(opts.shardsDir, 'okvqa')), false);
  assert.equal(readDatasetManifest(opts.manifestsDir, 'okvqa'), null);
});

test('records of a dataset the adapter does not declare, or of the wrong type, are adapter errors naming the record', async () => {
  const { options } = workspace();
  const stray = fakeAdapter({ source: 'alpha', datasets: ['okvqa'], files: ['annotations.json'], read: () => emit([{ record: sourceRecord('gqa', 'testdev', 0, []) }]) });
  const [a] = (await buildShards(options([stray], ['okvqa']))).results;
  assert.match(a.message, /adapter "alpha" produced an output for dataset "gqa", which is not in its spec \(okvqa\)/);
  const typed = fakeAdapter({ source: 'alpha', datasets: ['okvqa'], files: ['annotations.json'], read: () => emit([{ record: { ...sourceRecord('okvqa', 'train', 7, []), answers: [3] as never } }]) });
  const [b] = (await buildShards(options([typed], ['okvqa']))).results;
  assert.match(b.message, /okvqa: record okvqa\/train\/7 \(annotations\.json #7\): field "answers\[\]": expected a string, got a number/);
});
