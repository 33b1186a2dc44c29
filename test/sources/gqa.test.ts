import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { adapter } from '../../pipelines/sources/gqa/adapter.ts';
import { gqaSampleImages } from '../../pipelines/sources/gqa/make-sample.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, editZipJson, recordCounts, runAdapter, sampleRaw, zipEntries,
} from './heldout-adapter-helpers.ts';

const images = gqaSampleImages(1, 1);
const questions = images.flatMap((image) => image.questions.map((q, i) => ({ ...q, id: image.questionIds[i], image })));

test('gqa sample: one record per test-dev balanced question with its short answer', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'gqa/testdev': 30 });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  for (const [i, record] of run.records.entries()) {
    assert.equal(record.id, `gqa/testdev/${questions[i].id}`);
    assert.equal(record.question, questions[i].question);
    assert.deepEqual(record.answers, [questions[i].answer]);
    assert.equal(JSON.parse(record.meta!).fullAnswer, questions[i].fullAnswer);
    assert.equal(record.media[0].member, `images/${questions[i].image.imageId}.jpg`);
  }
  // answers are true of the scene: colour queries answer with the scene's colour
  for (const q of questions.filter((q) => q.types.detailed === 'colorObj')) assert.equal(q.answer, q.image.scene.color);
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('gqa sample mirror is what make-sample writes', () => assertSampleIsFresh('gqa'));

test('gqa: the LAVIS array layout is detected from the data', async () => {
  const copy = copySamples('gqa');
  const [official] = await zipEntries(copy.raw, 'gqa', 'questions1.2.zip');
  await copy.raw.close();
  const lavis = Object.entries(JSON.parse(official.data.toString('utf8')) as Record<string, { imageId: string; question: string; answer: string }>)
    .map(([qid, q]) => ({ image: `${q.imageId}.jpg`, question: q.question, question_id: Number(qid), answer: q.answer }));
  writeFileSync(path.join(copy.dir, 'gqa', 'testdev_balanced_questions.json'), JSON.stringify(lavis));
  rmSync(path.join(copy.dir, 'gqa', 'questions1.2.zip'));
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 30);
  assert.deepEqual(run.records.map((r) => [r.id, r.answers[0]]), questions.map((q) => [`gqa/testdev/${q.id}`, q.answer]));
  assert.equal(run.records[0].sourceFile, 'testdev_balanced_questions.json');
  await copy.cleanup();
});

test('gqa: an image id not in images.zip and an escaping id are quarantined', async () => {
  const copy = copySamples('gqa');
  await editZipJson(copy.dir, 'gqa', 'questions1.2.zip', 'testdev_balanced_questions.json', (doc) => {
    const [first, second, third] = Object.keys(doc);
    doc[first].imageId = 'n999999999';
    doc[second].imageId = '../n1';
    delete doc[third].answer;
    return doc;
  });
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 27);
  assert.deepEqual(run.quarantines.map((q) => q.reason), ['unknown-image', 'unsafe-path', 'missing-field']);
  assert.match(run.quarantines[0].detail, /images\/n999999999\.jpg/);
  await copy.cleanup();
});
