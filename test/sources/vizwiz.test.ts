import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { adapter } from '../../pipelines/sources/vizwiz/adapter.ts';
import { vizwizImageName, vizwizSampleQuestions } from '../../pipelines/sources/vizwiz/make-sample.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, editZipJson, recordCounts, runAdapter, sampleRaw, zipEntries,
} from './heldout-adapter-helpers.ts';

const expected = vizwizSampleQuestions(1, 1);

test('vizwiz sample: every val question becomes a record with its ten answers', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'vizwiz/val': 30 });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  for (const [i, record] of run.records.entries()) {
    assert.equal(record.id, `vizwiz/val/${vizwizImageName(i).replace('.jpg', '')}`);
    assert.equal(record.question, expected[i].question);
    assert.deepEqual(record.answers, expected[i].answers.map((a) => a.answer));
    assert.equal(record.answers.length, 10);
    assert.equal(JSON.parse(record.meta!).answer_type, expected[i].answer_type);
  }
  // question 3 asks to read the printed label; its word is among the answers
  assert.ok(run.records[3].answers.includes(expected[3].scene.text![0].toLowerCase()));
  const weights = run.records[0].answerWeights;
  assert.ok(Math.abs(weights[0] - run.records[0].answers.filter((a) => a === run.records[0].answers[0]).length / 10) < 1e-9);
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('vizwiz sample mirror is what make-sample writes', () => assertSampleIsFresh('vizwiz'));

test('vizwiz: the X-InstructBLIP val.json is read when Annotations.zip is absent', async () => {
  const copy = copySamples('vizwiz');
  const [val] = await zipEntries(copy.raw, 'vizwiz', 'Annotations.zip');
  await copy.raw.close();
  writeFileSync(path.join(copy.dir, 'vizwiz', 'val.json'), val.data);
  rmSync(path.join(copy.dir, 'vizwiz', 'Annotations.zip'));
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 30);
  assert.equal(run.records[0].sourceFile, 'val.json');
  await copy.cleanup();
});

test('vizwiz: unknown images, escaping paths and missing answers are quarantined', async () => {
  const copy = copySamples('vizwiz');
  await editZipJson(copy.dir, 'vizwiz', 'Annotations.zip', 'val.json', (val) => {
    val[0].image = 'VizWiz_val_00099999.jpg';
    val[1].image = '../../etc/passwd';
    delete val[2].answers;
    val[3].answerable = 'yes';
    return val;
  });
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 26);
  assert.deepEqual(run.quarantines.map((q) => [q.sourceIndex, q.reason]), [
    [0, 'unknown-image'], [1, 'unsafe-path'], [2, 'missing-field'], [3, 'bad-type'],
  ]);
  assert.match(run.quarantines[0].detail, /VizWiz_val_00099999\.jpg/);
  assert.match(run.quarantines[2].detail, /"answers"/);
  await copy.cleanup();
});
