import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { adapter } from '../../pipelines/sources/hateful-memes/adapter.ts';
import { imageName, sampleMemes } from '../../pipelines/sources/hateful-memes/make-sample.ts';
import {
  assertImagesDecode, assertSampleIsFresh, copySamples, editZip, recordCounts, runAdapter, sampleRaw, zipEntries,
} from './heldout-adapter-helpers.ts';

const memes = sampleMemes(1, 1);

test('hateful-memes sample: one record per dev meme with its text as context and its label', async () => {
  const raw = sampleRaw();
  const run = await runAdapter(adapter, raw);
  assert.deepEqual(recordCounts(run), { 'hateful-memes/dev': 20 });
  assert.equal(run.quarantines.length + run.skips.length, 0);
  for (const [i, record] of run.records.entries()) {
    assert.equal(record.id, `hateful-memes/dev/${memes[i].id}`);
    assert.equal(record.context, memes[i].text);
    assert.equal(record.label, memes[i].label);
    // the printed words are the meme text
    assert.equal(memes[i].scene.text!.join(' ').toLowerCase(), record.context);
    assert.deepEqual(record.media, [{ kind: 'image', source: 'hateful-memes', path: 'hateful_memes.zip', member: `data/${imageName(memes[i].id)}` }]);
  }
  assert.deepEqual([...new Set(run.records.map((r) => r.label))].sort(), [0, 1]);
  await assertImagesDecode(raw, run.records);
  await raw.close();
});

test('hateful-memes sample mirror is what make-sample writes', () => assertSampleIsFresh('hateful-memes'));

test('hateful-memes: the folder extracted with the password is read the same way', async () => {
  const copy = copySamples('hateful-memes');
  const root = path.join(copy.dir, 'hateful-memes');
  for (const { name, data } of await zipEntries(copy.raw, 'hateful-memes', 'hateful_memes.zip')) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), data);
  }
  await copy.raw.close();
  rmSync(path.join(root, 'hateful_memes.zip'));
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 20);
  assert.deepEqual(run.records[0].media, [{ kind: 'image', source: 'hateful-memes', path: `data/${imageName(memes[0].id)}` }]);
  assert.equal(run.records[0].sourceFile, 'data/dev_seen.jsonl');
  await assertImagesDecode(copy.raw, run.records);
  await copy.cleanup();
});

test('hateful-memes: a password-protected zip is refused with what to do', async () => {
  const copy = copySamples('hateful-memes');
  const file = path.join(copy.dir, 'hateful-memes', 'hateful_memes.zip');
  const bytes = readFileSync(file);
  // Set the "encrypted" flag (bit 0 of the general purpose flags) in every local and central header.
  for (let at = 0; at + 4 <= bytes.length; at++) {
    const sig = bytes.readUInt32LE(at);
    if (sig === 0x04034b50) bytes[at + 6] |= 1;
    if (sig === 0x02014b50) bytes[at + 8] |= 1;
  }
  writeFileSync(file, bytes);
  await assert.rejects(runAdapter(adapter, copy.raw), /password-protected: extract it with its password/);
  await copy.cleanup();
});

test('hateful-memes: unknown images, escaping paths and bad labels are quarantined', async () => {
  const copy = copySamples('hateful-memes');
  await editZip(copy.dir, 'hateful-memes', 'hateful_memes.zip', (entries) => entries.map((e) => {
    if (e.name !== 'data/dev_seen.jsonl') return e;
    const rows = e.data.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    rows[0].img = 'img/99999.png';
    rows[1].img = '../../img/x.png';
    rows[2].label = 2;
    delete rows[3].text;
    return { name: e.name, data: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')) };
  }));
  const run = await runAdapter(adapter, copy.raw);
  assert.equal(run.records.length, 16);
  assert.deepEqual(run.quarantines.map((q) => q.reason), ['unknown-image', 'unsafe-path', 'bad-value', 'missing-field']);
  assert.match(run.quarantines[0].detail, /img\/99999\.png/);
  await copy.cleanup();
});
