import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { makeMirror, sampleSourceIds } from '../../pipelines/sample/mirror.ts';
import { listFiles, sha256Sums, SUMS_FILE } from '../../pipelines/sample/sha256sums.ts';
import { adapter as coco } from '../../pipelines/sources/coco/adapter.ts';
import { loadSampleMaker, sampleDir } from '../../pipelines/sources/registry.ts';
import { countsOf, readAll, sampleRaw, scratchDir } from './coco-family-helpers.ts';

const run = promisify(execFile);

function filesOf(dir: string): Record<string, Buffer> {
  return Object.fromEntries(listFiles(dir).map((rel) => [rel, readFileSync(path.join(dir, rel))]));
}

test('sample mirrors: every source with a make-sample.ts is listed, adapter or not', () => {
  assert.ok(sampleSourceIds().includes('coco'));
});

/** The COCO-family sources whose committed samples must be exactly what make-sample writes. */
const COCO_FAMILY = ['coco', 'vqav2', 'okvqa', 'aokvqa'].filter((s) => sampleSourceIds().includes(s));

for (const source of COCO_FAMILY) {
  test(`sample mirrors: regenerating ${source} gives the committed files byte for byte`, async () => {
    const target = path.join(scratchDir(), source);
    await makeMirror(await loadSampleMaker(source), target, { scale: 1, seed: 1 });
    const committed = filesOf(sampleDir(source));
    const fresh = filesOf(target);
    assert.deepEqual(Object.keys(fresh), Object.keys(committed));
    for (const rel of Object.keys(fresh)) assert.ok(fresh[rel].equals(committed[rel]), `${source}/${rel} differs from the committed sample`);
  });
}

test('sample mirrors: SHA256SUMS lists every other file, sorted, in sha256sum format', () => {
  const dir = sampleDir('vqav2');
  const text = readFileSync(path.join(dir, SUMS_FILE), 'utf8');
  assert.equal(text, sha256Sums(dir));
  const paths = text.trimEnd().split('\n').map((line) => {
    assert.match(line, /^[0-9a-f]{64} {2}\S+$/);
    return line.slice(66);
  });
  assert.deepEqual(paths, listFiles(dir).filter((p) => p !== SUMS_FILE));
});

test('sample mirrors: a failing generator leaves the existing mirror untouched and no temp folder', async () => {
  const parent = scratchDir();
  const target = path.join(parent, 'src');
  mkdirSync(target);
  writeFileSync(path.join(target, 'keep.json'), '{}');
  await assert.rejects(makeMirror(async (out) => {
    writeFileSync(path.join(out, 'half.json'), '{');
    throw new Error('generator crashed');
  }, target, { scale: 1, seed: 1 }), /generator crashed/);
  assert.deepEqual(listFiles(parent), ['src/keep.json']);
});

test('make-sample CLI: --out and --scale write a larger mirror the adapter reads', async () => {
  const out = scratchDir();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'pipelines/cli/make-sample.ts', '--sources', 'coco', '--scale', '2', '--out', out]);
  assert.match(stdout, /coco: sample written/);
  const { records } = await readAll(coco, sampleRaw({ coco: path.join(out, 'coco') }));
  assert.deepEqual(countsOf(records), { 'coco-caption/train': 112, 'coco-caption/val': 16, 'coco-caption/test': 16 });
});

test('make-sample CLI: an unknown source is an error naming the known ones', async () => {
  await assert.rejects(run(process.execPath, ['--import', 'tsx', 'pipelines/cli/make-sample.ts', '--sources', 'nope', '--out', scratchDir()]),
    (err: Error & { stderr: string }) => /no make-sample\.ts for nope; sources with one: .*coco/.test(err.stderr));
});
