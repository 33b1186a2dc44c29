import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { mostFrequent } from '../../pipelines/sources/common/answer-shares.ts';
import { cocoScene } from '../../pipelines/sources/coco/scenes.ts';
import { adapter } from '../../pipelines/sources/okvqa/adapter.ts';
import { OKVQA_FILES } from '../../pipelines/sources/okvqa/files.ts';
import type { SourceRecord } from '../../pipelines/sources/types.ts';
import {
  assertDecodableJpegs, countsOf, editZipJson, readAll, readZipJson, reasonsOf, sampleRaw, scratchDir,
} from './coco-family-helpers.ts';

const metaOf = (r: SourceRecord) => JSON.parse(r.meta!) as Record<string, any>;
const CORNERS = { circle: 0, triangle: 3, square: 4 };

/** What anyone who knows a little geometry, fruit and colour theory answers, read off the scene. */
function truthOf(r: SourceRecord): string {
  const scene = cocoScene(metaOf(r).image_id);
  const q = r.question!;
  if (q.startsWith('How many sides')) return String(CORNERS[scene.shape]);
  if (q.startsWith('How many corners')) return String(CORNERS[scene.shape] * scene.count);
  if (q.startsWith('What do you call the 3d')) return { circle: 'sphere', square: 'cube', triangle: 'pyramid' }[scene.shape];
  if (q.startsWith('What fruit')) return { red: 'apple', yellow: 'banana', green: 'lime', purple: 'grape', blue: 'blueberry' }[scene.color as 'red']!;
  if (q.startsWith('Which two primary')) return { purple: 'red and blue', green: 'blue and yellow' }[scene.color as 'green']!;
  throw new Error(`no rule for "${q}"`);
}

test('okvqa sample: 40 train and 16 val questions, each as an okvqa and an okvqa-qg record', async () => {
  const run = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(run.records), { 'okvqa/train': 40, 'okvqa-qg/train': 40, 'okvqa/val': 16, 'okvqa-qg/val': 16 });
  assert.deepEqual(run.quarantines, []);
});

test('okvqa sample: knowledge answers are determined by the scene; five annotators listed twice', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  for (const r of records.filter((x) => x.dataset === 'okvqa')) {
    assert.equal(mostFrequent(r.answers), truthOf(r), `${r.id}: ${r.question}`);
    assert.equal(r.answers.length, 10);
    assert.deepEqual(r.answers.slice(5), r.answers.slice(0, 5));
    assert.match(metaOf(r).question_type, /^(five|nine)$/);
  }
  for (const qg of records.filter((x) => x.dataset === 'okvqa-qg')) {
    const parent = records.find((x) => x.id === metaOf(qg).parent)!;
    assert.equal(qg.question, parent.question);
    assert.deepEqual(qg.answers, [truthOf(parent)]);
    assert.deepEqual(qg.media, parent.media);
  }
  const { annotations } = await readZipJson(raw, 'okvqa', 'mscoco_train2014_annotations.json.zip', 'mscoco_train2014_annotations.json');
  assert.deepEqual(Object.keys(annotations[0].answers[0]), ['answer_id', 'raw_answer', 'answer_confidence', 'answer']);
  assert.ok(annotations.some((a: any) => a.answers.some((x: any) => x.raw_answer !== x.answer)));
  assert.ok(await assertDecodableJpegs(raw, records) >= 50);
});

/** LAVIS's layout: okvqa_train.json for train, the official val files extracted. */
async function lavisMirror(): Promise<string> {
  const dir = scratchDir();
  const raw = sampleRaw();
  const [train, val] = OKVQA_FILES;
  const { questions } = await readZipJson(raw, 'okvqa', train.questions.archive!, train.questions.member);
  const { annotations } = await readZipJson(raw, 'okvqa', train.annotations.archive!, train.annotations.member);
  writeFileSync(path.join(dir, train.lavis!), JSON.stringify(questions.map((q: any, i: number) => ({
    question_id: q.question_id,
    question: q.question,
    answer: annotations[i].answers.map((a: any) => a.answer),
    image: `train2014/COCO_train2014_${String(q.image_id).padStart(12, '0')}.jpg`,
    dataset: 'okvqa',
  }))));
  for (const location of [val.questions, val.annotations]) {
    writeFileSync(path.join(dir, location.member), JSON.stringify(await readZipJson(raw, 'okvqa', location.archive!, location.member)));
  }
  return dir;
}

test('okvqa: LAVIS train file plus extracted official val files give the same records', async () => {
  const essence = (r: SourceRecord) => ({ id: r.id, question: r.question, answers: r.answers, media: r.media });
  const official = await readAll(adapter, sampleRaw());
  const lavis = await readAll(adapter, sampleRaw({ okvqa: await lavisMirror() }));
  assert.deepEqual(lavis.records.map(essence), official.records.map(essence));
  assert.deepEqual([...new Set(lavis.records.map((r) => r.sourceFile))], ['okvqa_train.json', 'mscoco_val2014_annotations.json']);
});

test('okvqa: bad records are quarantined, a missing val split is an error', async () => {
  const dir = scratchDir('okvqa', OKVQA_FILES.flatMap((f) => [f.questions.archive!, f.annotations.archive!]));
  const [, val] = OKVQA_FILES;
  await editZipJson(dir, val.questions.archive!, val.questions.member, (json) => {
    json.questions[0].question = ['What?'];
    return json;
  });
  await editZipJson(dir, val.annotations.archive!, val.annotations.member, (json) => {
    json.annotations[1].answers = 'apple';
    return json;
  });
  const run = await readAll(adapter, sampleRaw({ okvqa: dir }));
  assert.deepEqual(reasonsOf(run), ['bad-type', 'bad-type', 'bad-type', 'bad-type']);
  assert.match(run.quarantines[0].detail, /"question" is array/);
  assert.match(run.quarantines[2].detail, /"answers" is string/);
  const noVal = scratchDir('okvqa', [OKVQA_FILES[0].questions.archive!, OKVQA_FILES[0].annotations.archive!]);
  await assert.rejects(readAll(adapter, sampleRaw({ okvqa: noVal })), /okvqa: no val annotations .*\(official\)\. Run ingest/);
});
