import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { COLORS, shapeCells } from '../../pipelines/sample/scene.ts';
import { adapter } from '../../pipelines/sources/coco/adapter.ts';
import { cocoIdOf } from '../../pipelines/sources/coco/images.ts';
import { cocoSampleImages, cocoScene } from '../../pipelines/sources/coco/scenes.ts';
import {
  assertDecodableJpegs, countsOf, editZipJson, mediaBytes, readAll, readZipJson, reasonsOf, sampleRaw, scratchDir,
} from './coco-family-helpers.ts';

const IMAGE_ZIPS = ['train2014.zip', 'val2014.zip'];
const POSITION_WORDS = { left: /\bleft\b/, right: /\bright\b/, top: /\b(top|upper)\b/, bottom: /\b(bottom|lower)\b/ };
const cocoidOf = (meta: string | null) => (JSON.parse(meta!) as { cocoid: number }).cocoid;

test('coco sample: one coco-caption record per image, Karpathy train+restval / val / test', async () => {
  const run = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(run.records), { 'coco-caption/train': 56, 'coco-caption/val': 8, 'coco-caption/test': 8 });
  assert.deepEqual(run.quarantines, []);
  const restval = run.records.filter((r) => JSON.parse(r.meta!).karpathySplit === 'restval');
  assert.equal(restval.length, 8);
  assert.ok(restval.every((r) => r.split === 'train' && r.media[0].path === 'val2014.zip'));
});

test('coco sample: every caption is true of its image scene', async () => {
  const { records } = await readAll(adapter, sampleRaw());
  for (const r of records) {
    const scene = cocoScene(cocoidOf(r.meta));
    assert.ok(r.answers.length >= 5 && r.answers.length <= 7, r.id);
    assert.equal(new Set(r.answers).size, r.answers.length, `${r.id} repeats a caption`);
    for (const caption of r.answers) {
      assert.match(caption.toLowerCase(), new RegExp(`${scene.color} .*${scene.shape}|${scene.shape}s? colored ${scene.color}`), caption);
      assert.match(caption.toLowerCase(), POSITION_WORDS[scene.position], caption);
    }
    assert.equal(r.answerWeights.reduce((a, b) => a + b, 0).toFixed(6), '1.000000');
    assert.equal(r.id, `coco-caption/${r.split}/${cocoidOf(r.meta)}`);
  }
});

test('coco sample: every image is a 112 px JPEG whose shapes sit on the 16 px grid', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  assert.equal(await assertDecodableJpegs(raw, records), cocoSampleImages().length);
  for (const r of records.slice(0, 6)) {
    const scene = cocoScene(cocoIdOf(r.media[0].member!)!);
    const { data, info } = await sharp(await mediaBytes(raw, r.media[0])).raw().toBuffer({ resolveWithObject: true });
    for (const [c, row] of shapeCells(scene)) {
      const at = ((row * 16 + 8) * info.width + c * 16 + 8) * info.channels;
      COLORS[scene.color].forEach((v, k) => assert.ok(Math.abs(data[at + k] - v) < 40, `${r.id} cell ${c},${row}`));
    }
  }
});

test('coco: the official captions files list the same captions as the Karpathy file', async () => {
  const raw = sampleRaw();
  const karpathy = await readZipJson(raw, 'coco', 'caption_datasets.zip', 'dataset_coco.json');
  const official = await readZipJson(raw, 'coco', 'annotations_trainval2014.zip', 'annotations/captions_val2014.json');
  assert.deepEqual(Object.keys(official), ['info', 'images', 'licenses', 'annotations']);
  const fromKarpathy = karpathy.images.filter((i: any) => i.filepath === 'val2014').flatMap((i: any) => i.sentences.map((s: any) => s.raw));
  assert.deepEqual(official.annotations.map((a: any) => a.caption), fromKarpathy);
  assert.equal(official.images.length, 24);
});

/** LAVIS's files, made from Karpathy's file the way BLIP made them. */
async function lavisMirror(): Promise<string> {
  const dir = scratchDir('coco', IMAGE_ZIPS);
  const { images } = await readZipJson(sampleRaw(), 'coco', 'caption_datasets.zip', 'dataset_coco.json');
  const imagePath = (i: any) => `${i.filepath}/${i.filename}`;
  const train = images.filter((i: any) => i.split === 'train' || i.split === 'restval')
    .flatMap((i: any) => i.sentences.map((s: any) => ({ caption: s.raw, image: imagePath(i), image_id: `coco_${i.cocoid}` })));
  const evalSet = (split: string) => images.filter((i: any) => i.split === split)
    .map((i: any) => ({ image: imagePath(i), caption: i.sentences.map((s: any) => s.raw) }));
  writeFileSync(path.join(dir, 'coco_karpathy_train.json'), JSON.stringify(train));
  writeFileSync(path.join(dir, 'coco_karpathy_val.json'), JSON.stringify(evalSet('val')));
  writeFileSync(path.join(dir, 'coco_karpathy_test.json'), JSON.stringify(evalSet('test')));
  return dir;
}

test('coco: the LAVIS layout is detected and gives the same records as the official one', async () => {
  const official = await readAll(adapter, sampleRaw());
  const lavis = await readAll(adapter, sampleRaw({ coco: await lavisMirror() }));
  const essence = (r: any) => ({ id: r.id, split: r.split, answers: r.answers, media: r.media });
  const byId = (a: any, b: any) => (a.id < b.id ? -1 : 1);
  assert.deepEqual(lavis.records.map(essence).sort(byId), official.records.map(essence).sort(byId));
  assert.equal(lavis.records[0].sourceFile, 'coco_karpathy_train.json');
});

test('coco: bad Karpathy entries are quarantined with the reason and the field', async () => {
  const dir = scratchDir('coco', [...IMAGE_ZIPS, 'caption_datasets.zip']);
  await editZipJson(dir, 'caption_datasets.zip', 'dataset_coco.json', (json) => {
    delete json.images[0].split;
    json.images[1].cocoid = String(json.images[1].cocoid);
    json.images[2].cocoid = 999999999;
    json.images[3].sentences[0].raw = 42;
    json.images[4].split = 'holdout';
    return json;
  });
  const run = await readAll(adapter, sampleRaw({ coco: dir }));
  assert.deepEqual(reasonsOf(run), ['missing-field', 'bad-type', 'unknown-image', 'bad-type', 'bad-value']);
  assert.match(run.quarantines[0].detail, /caption_datasets\.zip record 0: "split" is missing/);
  assert.match(run.quarantines[1].detail, /"cocoid" is string/);
  assert.match(run.quarantines[3].detail, /"raw" is number/);
  assert.equal(run.records.length, 72 - 5);
});

test('coco: a LAVIS image path that escapes the folder is quarantined, not read', async () => {
  const dir = await lavisMirror();
  const file = path.join(dir, 'coco_karpathy_val.json');
  const rows = JSON.parse(readFileSync(file, 'utf8'));
  rows[0].image = `../${rows[0].image}`;
  rows[1].image = '/etc/COCO_val2014_000000000042.jpg';
  delete rows[2].caption;
  writeFileSync(file, JSON.stringify(rows));
  const run = await readAll(adapter, sampleRaw({ coco: dir }));
  assert.deepEqual(reasonsOf(run), ['unsafe-path', 'unsafe-path', 'missing-field']);
  assert.match(run.quarantines[0].detail, /escapes/);
});

test('coco: file-level problems throw errors that name the file and what to do', async () => {
  const empty = scratchDir();
  await assert.rejects(readAll(adapter, sampleRaw({ coco: empty })), /neither caption_datasets\.zip .* run ingest/);
  const broken = scratchDir('coco', IMAGE_ZIPS);
  writeFileSync(path.join(broken, 'dataset_coco.json'), '{"images": [');
  await assert.rejects(readAll(adapter, sampleRaw({ coco: broken })), /coco: dataset_coco\.json: .*damaged .*run ingest again/);
});
