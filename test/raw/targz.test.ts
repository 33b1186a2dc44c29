import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { buffer } from 'node:stream/consumers';
import { tarGzEntries } from '../../pipelines/raw/targz.ts';
import { writeTarGz } from '../../pipelines/sample/targz-writer.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'targz-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const entries = [
  { name: './a.json', data: Buffer.from('[1,2,3]') },
  { name: 'skipped.csv', data: Buffer.alloc(70000, 0x61) },
  { name: 'dir/b.json', data: Buffer.from('{"x":1}') },
];

test('tarGzEntries yields every file in order, bodies read or skipped', async () => {
  const file = path.join(dir, 'x.tar.gz');
  await writeTarGz(file, entries);
  const seen: [string, string][] = [];
  for await (const entry of tarGzEntries(file, 'test: x.tar.gz')) {
    seen.push([entry.name, entry.name.endsWith('.json') ? (await buffer(entry.body)).toString() : '']);
  }
  assert.deepEqual(seen, [['a.json', '[1,2,3]'], ['skipped.csv', ''], ['dir/b.json', '{"x":1}']]);
});

test('writeTarGz is deterministic and a damaged archive is an error naming it', async () => {
  const one = path.join(dir, 'one.tar.gz');
  const two = path.join(dir, 'two.tar.gz');
  await writeTarGz(one, entries);
  await writeTarGz(two, entries);
  assert.ok(readFileSync(one).equals(readFileSync(two)));
  const cut = path.join(dir, 'cut.tar.gz');
  writeFileSync(cut, readFileSync(one).subarray(0, 60));
  await assert.rejects(async () => {
    for await (const entry of tarGzEntries(cut, 'aokvqa: cut.tar.gz')) entry.body.resume();
  }, /aokvqa: cut\.tar\.gz: cannot read the archive .* delete it and run ingest again/);
});
