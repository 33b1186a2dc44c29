import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { NEAR_DUPLICATE_BITS } from '../../pipelines/leakage/overlap.ts';
import { encodeImage } from '../../pipelines/media/encode-image.ts';
import { hammingDistance } from '../../pipelines/media/phash.ts';
import { cocoImageRef } from '../../pipelines/sources/coco/images.ts';
import { adapter } from '../../pipelines/sources/visdial/adapter.ts';
import { PLANTED_COCO_OVERLAPS, visdialSampleDialogs } from '../../pipelines/sources/visdial/make-sample.ts';
import { imageMember } from '../../pipelines/sources/visdial/spec.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, editZipJson, readMedia, recordCounts, runAdapter, sampleRaw,
} from './heldout-adapter-helpers.ts';

const dialogs = visdialSampleDialogs(1, 1);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('visdial sample: one record per round, with the earlier rounds, the caption and 100 options', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'visdial/val': 80 });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  for (const [d, dialog] of dialogs.entries()) {
    for (let r = 0; r < 10; r++) {
      const record = run.records[d * 10 + r];
      assert.equal(record.id, `visdial/val/${dialog.imageId}-${r + 1}`);
      assert.equal(record.question, dialog.rounds[r].question);
      assert.equal(record.context, dialog.caption);
      assert.deepEqual(record.dialog, dialog.rounds.slice(0, r).map(({ question, answer }) => ({ question, answer })));
      assert.equal(record.choices.length, 100);
      assert.equal(new Set(record.choices).size, 100);
      assert.equal(record.choices[record.answerIndex!], dialog.rounds[r].answer);
    }
  }
  // answers are true of the scene: round 1 names its colour, round 3 its shape
  for (const [d, dialog] of dialogs.entries()) {
    assert.ok(run.records[d * 10].answers[0].includes(dialog.scene.color));
    assert.equal(run.records[d * 10 + 2].answers[0], `${dialog.scene.shape}s`);
  }
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('visdial sample mirror is what make-sample writes', () => assertSampleIsFresh('visdial'));

test('visdial planted leakage: exact copies and near duplicates of COCO sample images, nothing else', async () => {
  const raw = sampleRaw();
  const visdialImage = (id: number) => raw.readMember('visdial', 'VisualDialog_val2018.zip', imageMember(id));
  const cocoImage = async (id: number) => readMedia(raw, (await cocoImageRef(raw, id))!);
  for (const { visdialImageId, cocoId, kind } of PLANTED_COCO_OVERLAPS) {
    const [ours, coco] = [await visdialImage(visdialImageId), await cocoImage(cocoId)];
    if (kind === 'exact') {
      assert.ok(ours.equals(coco), `${visdialImageId} is not byte-identical to COCO ${cocoId}`);
    } else {
      assert.ok(!ours.equals(coco));
      const distance = hammingDistance((await encodeImage(ours)).phash, (await encodeImage(coco)).phash);
      assert.ok(distance <= NEAR_DUPLICATE_BITS, `${visdialImageId} vs COCO ${cocoId}: pHash distance ${distance}`);
    }
  }
  // the exact-hash join over the samples finds exactly the planted exact pairs
  const cocoHashes = new Map<string, string[]>();
  for (const archive of ['train2014.zip', 'val2014.zip']) {
    for (const member of await raw.members('coco', archive)) {
      const h = sha256(await raw.readMember('coco', archive, member));
      cocoHashes.set(h, [...(cocoHashes.get(h) ?? []), member]);
    }
  }
  const exact = [];
  for (const dialog of dialogs) {
    const matches = cocoHashes.get(sha256(await visdialImage(dialog.imageId))) ?? [];
    if (matches.length) exact.push(dialog.imageId);
  }
  assert.deepEqual(exact, PLANTED_COCO_OVERLAPS.filter((p) => p.kind === 'exact').map((p) => p.visdialImageId));
  await raw.close();
});

test('visdial: short dialogs, bad answer indices and unknown images are quarantined per dialog', async () => {
  const copy = copySamples('visdial');
  await editZipJson(copy.dir, 'visdial', 'visdial_1.0_val.zip', 'visdial_1.0_val.json', (doc) => {
    const [first, second, third, fourth] = doc.data.dialogs;
    first.dialog = first.dialog.slice(0, 7);
    second.dialog[4].gt_index = 100;
    third.image_id = 999999;
    fourth.dialog[2].question = doc.data.questions.length;
    return doc;
  });
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 40);
  assert.deepEqual(run.quarantines.map((q) => [q.sourceIndex, q.reason]), [
    [0, 'too-few-rounds'], [1, 'answer-index-out-of-range'], [2, 'unknown-image'], [3, 'bad-index'],
  ]);
  assert.match(run.quarantines[0].detail, /7 rounds/);
  assert.match(run.quarantines[2].detail, /VisualDialog_val2018_000000999999\.jpg/);
  await copy.cleanup();
});
