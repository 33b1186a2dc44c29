import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { sha256Sums } from '../../pipelines/sample/sha256sums.ts';
import { adapter } from '../../pipelines/sources/textcaps/adapter.ts';
import { makeSample } from '../../pipelines/sources/textcaps/make-sample.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { AdapterOutput, SourceRecord } from '../../pipelines/sources/types.ts';

const SAMPLE = sampleDir('textcaps');
const temp = mkdtempSync(path.join(tmpdir(), 'textcaps-'));
after(() => rmSync(temp, { recursive: true, force: true }));

async function readAll(root: string): Promise<AdapterOutput[]> {
  const raw = new RawAccess(() => root);
  const out: AdapterOutput[] = [];
  for await (const o of adapter.read(raw)) out.push(o);
  await raw.close();
  return out;
}
const records = (out: AdapterOutput[]) => out.flatMap((o) => ('record' in o ? [o.record] : []));
const reasons = (out: AdapterOutput[]) => out.flatMap((o) => ('quarantine' in o ? [o.quarantine.reason] : []));

/** A copy of the sample whose `file` has been rewritten by `edit`. */
function mutated(name: string, file: string, edit: (doc: { data: Record<string, unknown>[] }) => void): string {
  const dir = path.join(temp, name);
  cpSync(SAMPLE, dir, { recursive: true });
  const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  edit(doc);
  writeFileSync(path.join(dir, file), JSON.stringify(doc));
  return dir;
}

const sample = await readAll(SAMPLE);
const bySplit = (split: string) => records(sample).filter((r) => r.split === split);
const trainJson = JSON.parse(readFileSync(path.join(SAMPLE, 'TextCaps_0.1_train.json'), 'utf8'));

test('the sample gives one record per image: 16 train, 8 val, nothing quarantined', () => {
  assert.deepEqual(reasons(sample), []);
  assert.equal(bySplit('train').length, 16);
  assert.equal(bySplit('val').length, 8);
  assert.ok(records(sample).every((r) => r.dataset === 'textcaps' && r.answers.length === 5 && r.id === `textcaps/${r.split}/${r.media[0].member!.slice(13, -4)}`));
});

test('answers are the image\'s captions in file order and OCR tokens are the printed words', () => {
  const first: SourceRecord = bySplit('train')[0];
  const items = trainJson.data.filter((d: { image_id: string }) => `textcaps/train/${d.image_id}` === first.id);
  assert.deepEqual(first.answers, items.map((d: { caption_str: string }) => d.caption_str));
  for (const r of records(sample)) {
    assert.ok(r.ocrTokens.length >= 1 && r.ocrTokens.length <= 2);
    for (const token of r.ocrTokens) assert.ok(r.answers.some((a) => a.includes(token.toLowerCase())), `${r.id} captions mention ${token}`);
  }
});

test('every image resolves to a decodable 112x112 image', async () => {
  const raw = new RawAccess(() => SAMPLE);
  for (const r of records(sample)) {
    const [ref] = r.media;
    const meta = await sharp(await raw.readMember(ref.source, ref.path, ref.member!)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 112, 112]);
  }
  await raw.close();
});

test('make-sample is deterministic', async () => {
  const dir = path.join(temp, 'again');
  await makeSample(dir, { scale: 1, seed: 1 });
  assert.equal(sha256Sums(dir), readFileSync(path.join(SAMPLE, 'SHA256SUMS'), 'utf8'));
});

test('bad caption items, unknown images and missing OCR are quarantined with their reason', async () => {
  const dir = mutated('bad-items', 'TextCaps_0.1_train.json', (doc) => {
    delete doc.data[0].caption_str;
    doc.data[5].caption_str = 42;
    doc.data[10].image_id = '../../etc/passwd';
    for (const d of doc.data.slice(15, 20)) d.image_id = 'ffffffffffffffff';
  });
  const out = await readAll(dir);
  assert.deepEqual(reasons(out).sort(), ['bad-type', 'missing-field', 'unknown-image', 'unsafe-path']);
  assert.equal(records(out).filter((r) => r.split === 'train').length, 15);

  const noOcr = mutated('no-ocr', 'TextVQA_Rosetta_OCR_v0.2_val.json', (doc) => {
    doc.data.shift();
    doc.data[0].ocr_tokens = 'STOP';
  });
  assert.deepEqual(reasons(await readAll(noOcr)).sort(), ['bad-type', 'missing-ocr']);
});

test('a missing or truncated file is an error naming the file', async () => {
  const dir = mutated('truncated', 'TextCaps_0.1_val.json', () => {});
  writeFileSync(path.join(dir, 'TextCaps_0.1_val.json'), readFileSync(path.join(SAMPLE, 'TextCaps_0.1_val.json')).subarray(0, 500));
  await assert.rejects(readAll(dir), /textcaps: TextCaps_0.1_val.json: .*ends early/);
  rmSync(path.join(dir, 'train_val_images.zip'));
  await assert.rejects(readAll(dir), /train_val_images.zip is missing.*run ingest/);
});
