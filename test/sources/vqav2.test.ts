import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { mostFrequent } from '../../pipelines/sources/common/answer-shares.ts';
import { cocoScene } from '../../pipelines/sources/coco/scenes.ts';
import type { SourceRecord } from '../../pipelines/sources/types.ts';
import { adapter } from '../../pipelines/sources/vqav2/adapter.ts';
import { VQAV2_FILES } from '../../pipelines/sources/vqav2/files.ts';
import {
  assertDecodableJpegs, countsOf, editZipJson, readAll, readZipJson, reasonsOf, sampleRaw, scratchDir,
} from './coco-family-helpers.ts';

const ZIPS = VQAV2_FILES.flatMap((f) => [f.questions.archive!, f.annotations.archive!]);
const metaOf = (r: SourceRecord) => JSON.parse(r.meta!) as Record<string, any>;

/** The true answer to a sample question, read off the scene: the check does not reuse the generator. */
function truthOf(r: SourceRecord): string {
  const scene = cocoScene(metaOf(r).image_id);
  const q = r.question!.toLowerCase();
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  let m: RegExpMatchArray | null;
  if (q.startsWith('what color')) return scene.color;
  if (q.startsWith('how many')) return String(scene.count);
  if (q.startsWith('what shape')) return scene.shape;
  if (q.startsWith('where')) return scene.position;
  if ((m = /^is there a (\w+) (\w+)\?$/.exec(q))) return yes(m[1] === scene.color && m[2] === scene.shape);
  if ((m = /^(?:is|are) the \w+ (?:on|at) the (\w+)\?$/.exec(q))) return yes(m[1] === scene.position);
  if ((m = /^(?:is the \w+ object a (\w+)|are the \w+ objects (\w+)s)\?$/.exec(q))) return yes((m[1] ?? m[2]) === scene.shape);
  throw new Error(`no rule for "${r.question}"`);
}

test('vqav2 sample: 40 train and 16 val questions, each as a vqav2 and a vqav2-qg record', async () => {
  const run = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(run.records), { 'vqav2/train': 40, 'vqav2-qg/train': 40, 'vqav2/val': 16, 'vqav2-qg/val': 16 });
  assert.deepEqual(run.quarantines, []);
});

test('vqav2 sample: the consensus answer is true of the scene, with ten annotators who mostly agree', async () => {
  const { records } = await readAll(adapter, sampleRaw());
  const vqa = records.filter((r) => r.dataset === 'vqav2');
  let disagreements = 0;
  for (const r of vqa) {
    assert.equal(r.answers.length, 10);
    assert.equal(mostFrequent(r.answers), truthOf(r), `${r.id}: ${r.question}`);
    assert.equal(metaOf(r).multiple_choice_answer, truthOf(r));
    assert.ok(r.answers.filter((a) => a === truthOf(r)).length >= 6);
    if (new Set(r.answers).size > 1) disagreements += 1;
    assert.equal(r.answerWeights[r.answers.indexOf(truthOf(r))], r.answers.filter((a) => a === truthOf(r)).length / 10);
  }
  assert.ok(disagreements > 5 && disagreements < vqa.length, `${disagreements} of ${vqa.length} questions have disagreement`);
  const types = new Set(vqa.map((r) => metaOf(r).answer_type));
  assert.deepEqual([...types].sort(), ['number', 'other', 'yes/no']);
});

test('vqav2 sample: each QG record mirrors its VQA parent, question as target and consensus as input', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const qg of records.filter((r) => r.dataset === 'vqav2-qg')) {
    const parent = byId.get(metaOf(qg).parent)!;
    assert.equal(parent.id, qg.id.replace('vqav2-qg/', 'vqav2/'));
    assert.equal(qg.question, parent.question);
    assert.deepEqual(qg.answers, [mostFrequent(parent.answers)]);
    assert.deepEqual(qg.media, parent.media);
  }
  assert.equal(await assertDecodableJpegs(raw, records), 28);
});

test('vqav2 sample: the files keep the official layout', async () => {
  const raw = sampleRaw();
  const q = await readZipJson(raw, 'vqav2', 'v2_Questions_Train_mscoco.zip', 'v2_OpenEnded_mscoco_train2014_questions.json');
  assert.deepEqual(Object.keys(q), ['info', 'task_type', 'data_type', 'data_subtype', 'questions', 'license']);
  assert.deepEqual(Object.keys(q.questions[0]), ['image_id', 'question', 'question_id']);
  const a = await readZipJson(raw, 'vqav2', 'v2_Annotations_Val_mscoco.zip', 'v2_mscoco_val2014_annotations.json');
  assert.equal(a.data_subtype, 'val2014');
  assert.deepEqual(Object.keys(a.annotations[0]),
    ['question_type', 'multiple_choice_answer', 'answers', 'image_id', 'answer_type', 'question_id']);
  assert.deepEqual(a.annotations[0].answers.map((x: any) => x.answer_id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

/** LAVIS's vqa_<split>.json made from the official files, the way LAVIS built them. */
async function lavisMirror(): Promise<string> {
  const dir = scratchDir();
  const raw = sampleRaw();
  for (const files of VQAV2_FILES) {
    const { questions } = await readZipJson(raw, 'vqav2', files.questions.archive!, files.questions.member);
    const { annotations } = await readZipJson(raw, 'vqav2', files.annotations.archive!, files.annotations.member);
    const rows = questions.map((q: any, i: number) => ({
      question_id: q.question_id,
      question: q.question,
      answer: annotations[i].answers.map((x: any) => x.answer),
      image: `${files.split}2014/COCO_${files.split}2014_${String(q.image_id).padStart(12, '0')}.jpg`,
      dataset: 'vqa',
    }));
    writeFileSync(path.join(dir, files.lavis!), JSON.stringify(rows));
  }
  return dir;
}

test('vqav2: the LAVIS layout is detected and gives the same questions, answers and images', async () => {
  const essence = (r: SourceRecord) => ({ id: r.id, question: r.question, answers: r.answers, answerWeights: r.answerWeights, media: r.media });
  const official = await readAll(adapter, sampleRaw());
  const lavis = await readAll(adapter, sampleRaw({ vqav2: await lavisMirror() }));
  assert.deepEqual(lavis.records.map(essence), official.records.map(essence));
  assert.equal(lavis.records[0].sourceFile, 'vqa_train.json');
});

test('vqav2: bad questions and annotations are quarantined for both datasets with the right reason', async () => {
  const dir = scratchDir('vqav2', ZIPS);
  const [{ questions, annotations }] = VQAV2_FILES;
  let removedQuestion = 0;
  await editZipJson(dir, questions.archive!, questions.member, (json) => {
    json.questions[2].image_id = 999999999;
    removedQuestion = json.questions.splice(5, 1)[0].question_id;
    json.questions.push({ image_id: 9, question: 'Is this unanswered?', question_id: 1 });
    delete json.questions[6].question;
    return json;
  });
  await editZipJson(dir, annotations.archive!, annotations.member, (json) => {
    delete json.annotations[0].question_id;
    json.annotations[1].answers[3].answer = 5;
    json.annotations[2].image_id = 999999999;
    json.annotations[3].image_id += 1;
    return json;
  });
  const run = await readAll(adapter, sampleRaw({ vqav2: dir }));
  const train = run.quarantines.filter((q) => q.dataset === 'vqav2');
  assert.deepEqual(train.map((q) => q.reason),
    ['missing-field', 'bad-type', 'unknown-image', 'bad-value', 'unknown-question', 'missing-field', 'missing-annotation', 'missing-annotation']);
  assert.equal(reasonsOf(run).length, 16);
  assert.match(train[1].detail, /v2_Annotations_Train_mscoco\.zip record 1: "answers"\[3\]: "answer" is number/);
  assert.match(train[4].detail, new RegExp(`question_id ${removedQuestion} is not in v2_Questions_Train_mscoco\\.zip`));
  assert.match(train[5].detail, /"question" is missing/);
  assert.equal(countsOf(run.records)['vqav2/train'], 40 - 6);
});

test('vqav2: a LAVIS image path that escapes raw/ is quarantined', async () => {
  const dir = await lavisMirror();
  const file = path.join(dir, 'vqa_val.json');
  const rows = JSON.parse(readFileSync(file, 'utf8'));
  rows[0].image = '../../coco/sample/val2014/COCO_val2014_000000000042.jpg';
  rows[1].question_id = '42001';
  writeFileSync(file, JSON.stringify(rows));
  const run = await readAll(adapter, sampleRaw({ vqav2: dir }));
  assert.deepEqual(reasonsOf(run), ['unsafe-path', 'unsafe-path', 'bad-type', 'bad-type']);
});

test('vqav2: a split with only half of the official pair, or nothing, is an error saying what to fetch', async () => {
  const half = scratchDir('vqav2', ['v2_Questions_Train_mscoco.zip']);
  await assert.rejects(readAll(adapter, sampleRaw({ vqav2: half })), /vqav2: train has v2_Questions_Train_mscoco\.zip:.* but not its partner/);
  await assert.rejects(readAll(adapter, sampleRaw({ vqav2: scratchDir() })), /no train annotations .* or vqa_train\.json \(LAVIS\)/);
});

test('vqav2: meta is the JSON of the annotation facts, whatever characters they hold', async () => {
  const dir = scratchDir('vqav2', ZIPS);
  const [{ annotations }] = VQAV2_FILES;
  const odd = ['say "hi"\\ \n\t\u0001', 'naïve – 東京 😀', 'lone \ud800 surrogate', 7, { nested: [1, 'x'] }];
  await editZipJson(dir, annotations.archive!, annotations.member, (json) => {
    odd.forEach((value, i) => {
      json.annotations[i].question_type = value;
      json.annotations[i].confidence = value;
    });
    return json;
  });
  const { records } = await readAll(adapter, sampleRaw({ vqav2: dir }));
  for (const [i, value] of odd.entries()) {
    const vqa = records.find((r) => r.dataset === 'vqav2' && r.sourceIndex === i)!;
    const qg = records.find((r) => r.dataset === 'vqav2-qg' && r.sourceIndex === i)!;
    const { image_id, answer_type, multiple_choice_answer } = metaOf(vqa);
    assert.equal(vqa.meta, JSON.stringify({ image_id, question_type: value, answer_type, multiple_choice_answer, confidence: value }));
    assert.equal(qg.meta, JSON.stringify({ parent: vqa.id, ...JSON.parse(vqa.meta!) }));
  }
});
