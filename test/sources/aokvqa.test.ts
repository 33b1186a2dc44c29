import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buffer } from 'node:stream/consumers';
import { tarGzEntries } from '../../pipelines/raw/targz.ts';
import { writeTarGz } from '../../pipelines/sample/targz-writer.ts';
import { adapter } from '../../pipelines/sources/aokvqa/adapter.ts';
import { AOKVQA_TARBALL, splitFile } from '../../pipelines/sources/aokvqa/files.ts';
import { mostFrequent } from '../../pipelines/sources/common/answer-shares.ts';
import { cocoScene } from '../../pipelines/sources/coco/scenes.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { SourceRecord } from '../../pipelines/sources/types.ts';
import { assertDecodableJpegs, countsOf, readAll, reasonsOf, sampleRaw, scratchDir } from './coco-family-helpers.ts';

const metaOf = (r: SourceRecord) => JSON.parse(r.meta!) as Record<string, any>;

/** The sample tarball's entries, JSON parsed. */
async function tarballJson(): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  for await (const entry of tarGzEntries(path.join(sampleDir('aokvqa'), AOKVQA_TARBALL), 'test')) {
    const text = (await buffer(entry.body)).toString();
    out.set(entry.name, entry.name.endsWith('.json') ? JSON.parse(text) : text);
  }
  return out;
}

/** The right option, read off the scene without the generator. */
function truthOf(r: SourceRecord): string {
  const scene = cocoScene(metaOf(r).image_id);
  const q = r.question!;
  if (q.startsWith('Which everyday object')) return { circle: 'coin', square: 'chessboard', triangle: 'yield sign' }[scene.shape];
  if (q.startsWith('If one more')) return String(scene.count + 1);
  if (q.startsWith('Which fruit')) return { red: 'apple', yellow: 'banana', green: 'lime', purple: 'grape', blue: 'blueberry' }[scene.color as 'red']!;
  if (q.startsWith('Which side')) return scene.position;
  throw new Error(`no rule for "${q}"`);
}

test('aokvqa sample: 40 train and 16 val questions as aokvqa and aokvqa-qg records; test is not read', async () => {
  const run = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(run.records), { 'aokvqa/train': 40, 'aokvqa-qg/train': 40, 'aokvqa/val': 16, 'aokvqa-qg/val': 16 });
  assert.deepEqual(run.quarantines, []);
  const files = await tarballJson();
  assert.deepEqual([...files.keys()], [splitFile('train'), splitFile('val'), splitFile('test'), 'large_vocab_train.csv']);
  assert.deepEqual(Object.keys(files.get(splitFile('train'))[0]),
    ['split', 'image_id', 'question_id', 'question', 'choices', 'correct_choice_idx', 'direct_answers', 'difficult_direct_answer', 'rationales']);
  assert.ok(files.get(splitFile('test')).every((r: any) => r.direct_answers === undefined && r.rationales === undefined));
});

test('aokvqa sample: the correct choice is true of the scene and most direct answers agree with it', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  for (const r of records.filter((x) => x.dataset === 'aokvqa')) {
    assert.equal(r.choices.length, 4);
    assert.equal(r.choices[r.answerIndex!], truthOf(r), `${r.id}: ${r.question}`);
    assert.equal(mostFrequent(r.answers), truthOf(r));
    assert.equal(r.answers.length, 10);
    assert.equal(metaOf(r).rationales.length, 3);
    assert.match(r.id, /^aokvqa\/(train|val)\/[2-9A-HJ-NP-Za-km-z]{22}$/);
  }
  for (const qg of records.filter((x) => x.dataset === 'aokvqa-qg')) {
    const parent = records.find((x) => x.id === metaOf(qg).parent)!;
    assert.equal(qg.question, parent.question);
    assert.deepEqual(qg.answers, [parent.choices[parent.answerIndex!]]);
    assert.deepEqual(qg.media, parent.media);
  }
  assert.ok(await assertDecodableJpegs(raw, records) >= 50);
});

/** LAVIS's copies: the split files extracted, each record with an added `image` path. */
async function lavisMirror(edit: (split: string, rows: any[]) => void = () => {}): Promise<string> {
  const dir = scratchDir();
  const files = await tarballJson();
  for (const split of ['train', 'val']) {
    const rows = files.get(splitFile(split)).map((r: any) => ({ ...r, image: `${split}2017/${String(r.image_id).padStart(12, '0')}.jpg` }));
    edit(split, rows);
    writeFileSync(path.join(dir, splitFile(split)), JSON.stringify(rows));
  }
  return dir;
}

test('aokvqa: the extracted LAVIS files give the same records as the tarball', async () => {
  const essence = (r: SourceRecord) => ({ id: r.id, question: r.question, choices: r.choices, answerIndex: r.answerIndex, answers: r.answers, media: r.media });
  const official = await readAll(adapter, sampleRaw());
  const lavis = await readAll(adapter, sampleRaw({ aokvqa: await lavisMirror() }));
  assert.deepEqual(lavis.records.map(essence), official.records.map(essence));
  assert.equal(lavis.records[0].sourceFile, splitFile('train'));
});

test('aokvqa: bad records are quarantined for both datasets with the field named', async () => {
  const dir = await lavisMirror((split, rows) => {
    if (split !== 'val') return;
    delete rows[0].question;
    rows[1].choices = rows[1].choices.slice(0, 3);
    rows[2].correct_choice_idx = 7;
    rows[3].image_id = 999999999;
    rows[4].image = '../../etc/000000000042.jpg';
    rows[5].question_id = '../x';
  });
  const run = await readAll(adapter, sampleRaw({ aokvqa: dir }));
  const val = run.quarantines.filter((q) => q.dataset === 'aokvqa');
  assert.deepEqual(val.map((q) => q.reason), ['missing-field', 'bad-value', 'bad-value', 'unknown-image', 'unsafe-path', 'bad-value']);
  assert.equal(reasonsOf(run).length, 12);
  assert.match(val[1].detail, /aokvqa_v1p0_val\.json record 1: "choices" has 3 items, expected 4/);
  assert.equal(countsOf(run.records)['aokvqa/val'], 16 - 6);
});

test('aokvqa: a tarball without the val split, a damaged one, or no files at all are errors', async () => {
  const files = await tarballJson();
  const noVal = scratchDir();
  await writeTarGz(path.join(noVal, AOKVQA_TARBALL), [{ name: splitFile('train'), data: Buffer.from(JSON.stringify(files.get(splitFile('train')))) }]);
  await assert.rejects(readAll(adapter, sampleRaw({ aokvqa: noVal })), /aokvqa: aokvqa_v1p0\.tar\.gz has no aokvqa_v1p0_val\.json/);
  const damaged = scratchDir();
  writeFileSync(path.join(damaged, AOKVQA_TARBALL), readFileSync(path.join(sampleDir('aokvqa'), AOKVQA_TARBALL)).subarray(0, 1500));
  await assert.rejects(readAll(adapter, sampleRaw({ aokvqa: damaged })), /aokvqa: aokvqa_v1p0\.tar\.gz.*run ingest again/);
  await assert.rejects(readAll(adapter, sampleRaw({ aokvqa: scratchDir() })), /neither aokvqa_v1p0\.tar\.gz \(official\) nor aokvqa_v1p0_train\.json/);
});
