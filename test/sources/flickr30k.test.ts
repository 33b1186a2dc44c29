import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeJson } from '../../pipelines/sample/json-bytes.ts';
import { adapter } from '../../pipelines/sources/flickr30k/adapter.ts';
import { flickrSampleImages } from '../../pipelines/sources/flickr30k/make-sample.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, editZipJson, recordCounts, runAdapter, sampleRaw, skipCounts,
} from './heldout-adapter-helpers.ts';

const testImages = flickrSampleImages(1, 1).filter((i) => i.split === 'test');

test('flickr30k sample: Karpathy test images with five captions; train and val skipped and counted', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'flickr30k/test': 20 });
  assert.deepEqual(skipCounts(run), { 'flickr30k/train/split-not-evaluated': 4, 'flickr30k/val/split-not-evaluated': 2 });
  assert.equal(run.quarantines.length, 0);
  for (const [i, record] of run.records.entries()) {
    assert.equal(record.id, `flickr30k/test/${testImages[i].fileName.replace('.jpg', '')}`);
    assert.deepEqual(record.answers, testImages[i].captions);
    assert.equal(record.sourceFile, 'caption_datasets.zip');
    assert.ok(record.answers.every((c) => c.toLowerCase().includes(testImages[i].scene.color)));
  }
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('flickr30k sample mirror is what make-sample writes', () => assertSampleIsFresh('flickr30k'));

test('flickr30k: without Karpathy\'s file the LAVIS test file gives the same records', async () => {
  const copy = copySamples('flickr30k');
  const official = (await runAdapter(adapter, copy.raw)).records;
  await copy.raw.close();
  rmSync(path.join(copy.dir, 'flickr30k', 'caption_datasets.zip'));
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.skips.length, 0);
  assert.equal(run.records[0].sourceFile, 'flickr30k_test.json');
  assert.deepEqual(run.records.map((r) => [r.id, r.answers, r.media]), official.map((r) => [r.id, r.answers, r.media]));
  await copy.cleanup();
});

test('flickr30k: missing images, escaping file names and bad sentences are quarantined', async () => {
  const copy = copySamples('flickr30k');
  await editZipJson(copy.dir, 'flickr30k', 'caption_datasets.zip', 'dataset_flickr30k.json', (doc) => {
    const tests = doc.images.filter((i: { split: string }) => i.split === 'test');
    tests[0].filename = '4242.jpg';
    tests[1].filename = '../../../etc/x.jpg';
    tests[2].sentences = [{ tokens: [] }];
    tests[3].split = 7;
    return doc;
  });
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 16);
  assert.deepEqual(run.quarantines.map((q) => q.reason), ['unknown-image', 'unsafe-path', 'missing-field', 'bad-type']);
  assert.match(run.quarantines[0].detail, /flickr30k-images\/4242\.jpg/);
  const lavis = path.join(copy.dir, 'flickr30k', 'flickr30k_test.json');
  const rows = JSON.parse(readFileSync(lavis, 'utf8'));
  rows[0].image = '/abs/1.jpg';
  writeJson(lavis, rows);
  rmSync(path.join(copy.dir, 'flickr30k', 'caption_datasets.zip'));
  const lavisRun = await runAdapter(adapter, copy.raw);
  assert.deepEqual(lavisRun.quarantines.map((q) => q.reason), ['unsafe-path']);
  await copy.cleanup();
});
