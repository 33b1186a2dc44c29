import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapter } from '../../pipelines/sources/iconqa/adapter.ts';
import { iconqaSampleProblems } from '../../pipelines/sources/iconqa/make-sample.ts';
import { jsonBytes } from '../../pipelines/sample/json-bytes.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, editZip, recordCounts, runAdapter, sampleRaw, skipCounts,
} from './heldout-adapter-helpers.ts';

const problems = iconqaSampleProblems(1, 1);
const chooseTxt = problems.filter((p) => p.ques_type === 'choose_txt');

test('iconqa sample: choose_txt test problems become records; the other sub-tasks are skipped and counted', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'iconqa/test': 20 });
  assert.deepEqual(skipCounts(run), { 'iconqa/test/unused-subtask-choose_img': 1, 'iconqa/test/unused-subtask-fill_in_blank': 1 });
  assert.equal(run.quarantines.length, 0);
  for (const [i, record] of run.records.entries()) {
    const p = chooseTxt[i];
    assert.equal(record.id, `iconqa/test/${p.pid}`);
    assert.equal(record.question, p.question);
    assert.deepEqual(record.choices, p.choices);
    assert.equal(record.answerIndex, p.answer);
    const right = record.choices[record.answerIndex!];
    assert.ok([p.scene.color, p.scene.shape, p.scene.position, String(p.scene.count)].includes(right), `${record.id}: ${right}`);
  }
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('iconqa sample mirror is what make-sample writes', () => assertSampleIsFresh('iconqa'));

test('iconqa: out-of-range answers, missing images and broken data.json are quarantined', async () => {
  const copy = copySamples('iconqa');
  const [a, b, c] = chooseTxt.map((p) => `iconqa_data/iconqa/test/choose_txt/${p.pid}`);
  await editZip(copy.dir, 'iconqa', 'iconqa_data.zip', (entries) => entries
    .filter((e) => e.name !== `${b}/image.png`)
    .map((e) => {
      if (e.name === `${a}/data.json`) return { name: e.name, data: jsonBytes({ ...JSON.parse(e.data.toString()), answer: -1 }) };
      if (e.name === `${c}/data.json`) return { name: e.name, data: Buffer.from('{"question": ') };
      return e;
    }));
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 17);
  assert.deepEqual(run.quarantines.map((q) => q.reason), ['answer-index-out-of-range', 'unknown-image', 'bad-json']);
  assert.match(run.quarantines[1].detail, new RegExp(`${b}/image\\.png`));
  await copy.cleanup();
});
