import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeJson } from '../../pipelines/sample/json-bytes.ts';
import { adapter } from '../../pipelines/sources/nocaps/adapter.ts';
import { nocapsImageUrl, nocapsSampleImages } from '../../pipelines/sources/nocaps/make-sample.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, fetchUrlList, recordCounts, runAdapter,
} from './heldout-adapter-helpers.ts';

const images = nocapsSampleImages(1, 1);
const CAPTIONS = 'nocaps_val_4500_captions.json';

test('nocaps sample: one record per val image, ten captions and its domain', async () => {
  const copy = copySamples('nocaps');
  assert.equal(await fetchUrlList(adapter, copy, 'nocaps'), 15);
  const run = await runAdapter(adapter, copy.raw);
  assert.deepEqual(recordCounts(run), { 'nocaps/val': 15 });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  for (const [i, record] of run.records.entries()) {
    assert.equal(record.id, `nocaps/val/${images[i].id}`);
    assert.deepEqual(record.answers, images[i].captions);
    assert.equal(new Set(record.answers).size, 10);
    assert.equal(JSON.parse(record.meta!).domain, images[i].domain.replace('-domain', ''));
    assert.deepEqual(record.media, [{ kind: 'image', source: 'nocaps', path: `val/${images[i].openImagesId}.jpg` }]);
    // captions are true of the scene
    assert.ok(record.answers.every((c) => c.toLowerCase().includes(images[i].scene.color)));
  }
  const domains = run.records.map((r) => JSON.parse(r.meta!).domain);
  assert.deepEqual([...new Set(domains)].sort(), ['in', 'near', 'out']);
  await assertImagesDecode(copy.raw, run.records);
  await copy.cleanup();
});

test('nocaps sample mirror is what make-sample writes', () => assertSampleIsFresh('nocaps'));

test('nocaps: photos not fetched, unknown caption images and bad domains are quarantined', async () => {
  const copy = copySamples('nocaps');
  const file = path.join(copy.dir, 'nocaps', CAPTIONS);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.images[1].domain = 'far-domain';
  doc.images[2].file_name = '../../x.jpg';
  doc.annotations.push({ image_id: 4242, id: 99999, caption: 'a caption of no image' });
  writeJson(file, doc);
  await fetchUrlList(adapter, copy, 'nocaps', [nocapsImageUrl(images[0].openImagesId)]);
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 12);
  assert.deepEqual(run.quarantines.map((q) => q.reason).sort(), ['bad-value', 'image-not-fetched', 'unknown-image', 'unsafe-path']);
  assert.match(run.quarantines.find((q) => q.reason === 'image-not-fetched')!.detail, new RegExp(images[0].openImagesId));
  await copy.cleanup();
});

test('nocaps: LAVIS nocaps_val.json alone is refused with what to fetch', async () => {
  const copy = copySamples('nocaps');
  rmSync(path.join(copy.dir, 'nocaps', CAPTIONS));
  writeFileSync(path.join(copy.dir, 'nocaps', 'nocaps_val.json'), JSON.stringify(images.map((im) => ({ image: `val/${im.openImagesId}.jpg`, img_id: im.id }))));
  await assert.rejects(runAdapter(adapter, copy.raw), /nocaps_val\.json.*without captions.*Fetch nocaps_val_4500_captions\.json/s);
  await copy.cleanup();
});
