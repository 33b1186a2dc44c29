import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { adapter } from '../../pipelines/sources/textvqa/adapter.ts';
import { textvqaSampleImages } from '../../pipelines/sources/textvqa/make-sample.ts';
import { IMAGES_ZIP } from '../../pipelines/sources/textvqa/spec.ts';
import { writeJson } from '../../pipelines/sample/json-bytes.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, recordCounts, runAdapter, sampleRaw,
} from './heldout-adapter-helpers.ts';

const images = textvqaSampleImages(1, 1);
const questions = images.flatMap((image) => image.questions.map((q) => ({ ...q, image })));

test('textvqa sample: one record per val question, ten answers and the OCR tokens of its image', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.equal(questions.length, 16 + images.filter((i) => i.questions.length === 2).length);
  assert.deepEqual(recordCounts(run), { 'textvqa/val': questions.length });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  for (const [i, record] of run.records.entries()) {
    assert.equal(record.id, `textvqa/val/${34602 + i}`);
    assert.equal(record.question, questions[i].question);
    assert.deepEqual(record.answers, questions[i].answers);
    assert.deepEqual(record.ocrTokens, questions[i].image.scene.text);
    assert.equal(record.media[0].member, `train_images/${questions[i].image.imageId}.jpg`);
  }
  // reading questions are answered by the printed words
  const first = run.records[0];
  assert.ok(first.ocrTokens.some((t) => first.answers.join(' ').includes(t.toLowerCase())));
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('textvqa sample mirror is what make-sample writes', () => assertSampleIsFresh('textvqa'));

test('textvqa: unknown images, missing OCR and unsafe image ids are quarantined', async () => {
  const copy = copySamples('textvqa');
  const file = path.join(copy.dir, 'textvqa', 'TextVQA_0.5.1_val.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.data[0].image_id = 'ffffffffffffffff';
  doc.data[1].image_id = '../../secret';
  doc.data[2].answers = 'yes';
  writeJson(file, doc);
  const ocrFile = path.join(copy.dir, 'textvqa', 'TextVQA_Rosetta_OCR_v0.2_val.json');
  const ocr = JSON.parse(readFileSync(ocrFile, 'utf8'));
  const lastImage = questions.at(-1)!.image.imageId;
  ocr.data = ocr.data.filter((e: { image_id: string }) => e.image_id !== lastImage);
  writeJson(ocrFile, ocr);
  const run = await runAdapter(adapter, copy.raw);
  const lastCount = questions.filter((q) => q.image.imageId === lastImage).length;
  assert.equal(run.records.length, questions.length - 3 - lastCount);
  assert.deepEqual(run.quarantines.slice(0, 3).map((q) => q.reason), ['unknown-image', 'unsafe-path', 'bad-type']);
  assert.match(run.quarantines[0].detail, new RegExp(`${IMAGES_ZIP} has no entry train_images/ffffffffffffffff.jpg`));
  assert.deepEqual(new Set(run.quarantines.slice(3).map((q) => q.reason)), new Set(['missing-ocr']));
  await copy.cleanup();
});
