import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeJson } from '../../pipelines/sample/json-bytes.ts';
import { adapter } from '../../pipelines/sources/scienceqa/adapter.ts';
import { scienceqaSampleProblems } from '../../pipelines/sources/scienceqa/make-sample.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, recordCounts, runAdapter, sampleRaw, skipCounts,
} from './heldout-adapter-helpers.ts';

const problems = scienceqaSampleProblems(1, 1);
const withImage = problems.filter((p) => p.split === 'test' && p.image);

test('scienceqa sample: test problems with an image; text-only and other splits skipped and counted', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'scienceqa/test': 16 });
  assert.deepEqual(skipCounts(run), {
    'scienceqa/test/no-image': 6,
    'scienceqa/train/split-not-evaluated': 3,
    'scienceqa/val/split-not-evaluated': 3,
  });
  assert.equal(run.quarantines.length, 0);
  for (const [i, record] of run.records.entries()) {
    const p = withImage[i];
    assert.equal(record.id, `scienceqa/test/${p.pid}`);
    assert.equal(record.question, p.question);
    assert.deepEqual(record.choices, p.choices);
    assert.equal(record.answerIndex, p.answer);
    assert.equal(record.context, [p.hint, p.lecture].filter(Boolean).join('\n'));
    assert.equal(record.media[0].member, `test/${p.pid}/image.png`);
  }
  // the right choice is true of the pictured scene
  for (const [i, record] of run.records.entries()) {
    const scene = withImage[i].scene!;
    const right = record.choices[record.answerIndex!];
    assert.ok([scene.shape, scene.color, `at the ${scene.position}`, ['zero', 'one', 'two', 'three'][scene.count]].includes(right));
  }
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('scienceqa sample mirror is what make-sample writes', () => assertSampleIsFresh('scienceqa'));

test('scienceqa: answer out of range, unknown image, escaping image and unlisted problems are quarantined', async () => {
  const copy = copySamples('scienceqa');
  const file = path.join(copy.dir, 'scienceqa', 'problems.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const [a, b, c, d] = withImage.map((p) => p.pid);
  doc[a].answer = doc[a].choices.length;
  doc[b].image = 'missing.png';
  doc[c].image = '../../1/image.png';
  doc[d].hint = 7;
  writeJson(file, doc);
  const splitsFile = path.join(copy.dir, 'scienceqa', 'pid_splits.json');
  const splits = JSON.parse(readFileSync(splitsFile, 'utf8'));
  splits.test.push('99999');
  writeJson(splitsFile, splits);
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 12);
  assert.deepEqual(run.quarantines.map((q) => q.reason), ['answer-index-out-of-range', 'unknown-image', 'unsafe-path', 'bad-type', 'unknown-problem']);
  assert.match(run.quarantines[0].detail, /"answer" is \d, but there are \d options/);
  assert.match(run.quarantines[1].detail, new RegExp(`test/${b}/missing\\.png`));
  await copy.cleanup();
});
