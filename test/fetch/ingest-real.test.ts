/**
 * ingest over the real adapters and their embedded sample mirrors: read in place with
 * `--mirror sample`, and downloaded from an HTTP mirror serving the same sample folders. Both
 * must leave ledgers that openRawAccess follows to every file, and the adapters must read the
 * same records from either.
 */
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { runIngestCli } from '../../pipelines/fetch/ingest-cli.ts';
import { openRawAccess, readLedger } from '../../pipelines/raw/ledger.ts';
import { loadAdapter, sampleDir, sourceIds } from '../../pipelines/sources/registry.ts';
import { serveFolder } from './helpers/folder-server.ts';
import { tempDir } from './helpers/settings.ts';

/** vqav2 reads coco's images; ocrvqa is a URL list; textcaps is plain files. */
const DATASETS = ['vqav2', 'ocrvqa', 'textcaps'];
const SOURCES = ['coco', 'ocrvqa', 'textcaps', 'vqav2'];
const available = SOURCES.every((s) => sourceIds().includes(s));

async function ingest(argv: string[]) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  const code = await runIngestCli(argv, { stdout, stderr: new PassThrough() });
  return { code, out };
}

async function recordCounts(rawDir: string): Promise<Record<string, number>> {
  const raw = openRawAccess(rawDir);
  const counts: Record<string, number> = {};
  try {
    for (const source of SOURCES) {
      const adapter = await loadAdapter(source);
      for await (const output of adapter.read(raw)) {
        const kind = Object.keys(output)[0];
        counts[`${source}/${kind}`] = (counts[`${source}/${kind}`] ?? 0) + 1;
      }
    }
  } finally {
    await raw.close();
  }
  return counts;
}

async function assertReadable(rawDir: string): Promise<Record<string, string>> {
  const raw = openRawAccess(rawDir);
  const hashes: Record<string, string> = {};
  for (const source of SOURCES) {
    const ledger = readLedger(rawDir, source);
    assert.ok(ledger?.complete, `${source} ledger complete`);
    const adapter = await loadAdapter(source);
    for (const file of adapter.spec.files.filter((f) => !f.optional)) {
      assert.ok(raw.exists(source, file.path), `${source}/${file.path} readable`);
      hashes[`${source}/${file.path}`] = await raw.sha256(source, file.path);
      assert.equal(ledger.files[file.path].sha256, hashes[`${source}/${file.path}`]);
    }
    if (adapter.urlList) {
      assert.ok(ledger.urlList && ledger.urlList.total > 0 && ledger.urlList.ok === ledger.urlList.total, `${source} images all ok`);
      for await (const entry of adapter.urlList(raw)) assert.ok(raw.exists(source, entry.path), `${source}/${entry.path}`);
    }
  }
  await raw.close();
  return hashes;
}

test('real adapters: --mirror sample and an HTTP mirror of the same folders give the same raw inputs and records', { skip: !available && 'adapters not all present' }, async (t) => {
  const inPlace = await tempDir(t);
  const sample = await ingest(['--datasets', DATASETS.join(','), '--raw-dir', inPlace]);
  assert.equal(sample.code, 0, sample.out);
  assert.equal(readLedger(inPlace, 'textcaps')?.location, sampleDir('textcaps'));
  assert.equal(readLedger(inPlace, 'ocrvqa')?.location, path.resolve(inPlace, 'ocrvqa'));
  const sampleHashes = await assertReadable(inPlace);

  const mirrorRoot = await tempDir(t);
  for (const source of SOURCES) symlinkSync(sampleDir(source), path.join(mirrorRoot, source));
  const server = await serveFolder(mirrorRoot);
  t.after(() => server.close());
  const downloaded = await tempDir(t);
  const http = await ingest(['--datasets', DATASETS.join(','), '--mirror', server.base, '--raw-dir', downloaded]);
  assert.equal(http.code, 0, http.out);
  assert.equal(readLedger(downloaded, 'textcaps')?.location, path.resolve(downloaded, 'textcaps'));
  assert.equal(readLedger(downloaded, 'textcaps')?.files[Object.keys(readLedger(downloaded, 'textcaps')!.files)[0]].verified, 'mirror');
  assert.deepEqual(await assertReadable(downloaded), sampleHashes);

  const counts = await recordCounts(inPlace);
  assert.ok(Object.values(counts).reduce((a, b) => a + b, 0) > 0);
  assert.deepEqual(await recordCounts(downloaded), counts);
});
