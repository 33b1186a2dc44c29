import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingestSource } from '../../pipelines/fetch/ingest-source.ts';
import { openRawAccess, readLedger } from '../../pipelines/raw/ledger.ts';
import type { UrlListEntry } from '../../pipelines/sources/types.ts';
import { sendBytes, startServer } from './helpers/fault-server.ts';
import { fakeAdapter, fakeSpec, sha256, writeMirror } from './helpers/fake-source.ts';
import { serveFolder } from './helpers/folder-server.ts';
import { fakeJpeg } from './helpers/images.ts';
import { ingestSettings } from './helpers/ingest-settings.ts';
import { tempDir } from './helpers/settings.ts';

const files = { 'ann/train.json': '{"a":1}', 'images.zip': 'PK-not-really' };
const spec = fakeSpec('src', [{ path: 'ann/train.json' }, { path: 'images.zip' }, { path: 'lavis/alt.json', optional: true }]);

test('a folder mirror is read in place: the ledger points at it and raw access follows', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'src', files);
  const report = await ingestSource(fakeAdapter(spec), ingestSettings(t, rawDir, { kind: 'folder', dir: mirrorDir }));
  assert.equal(report.ok, true);
  assert.deepEqual(report.files.map((f) => [f.path, f.kind]), [['ann/train.json', 'done'], ['images.zip', 'done'], ['lavis/alt.json', 'absent']]);
  const ledger = readLedger(rawDir, 'src')!;
  assert.equal(ledger.location, path.join(mirrorDir, 'src'));
  assert.equal(ledger.complete, true);
  assert.deepEqual(Object.keys(ledger.files).sort(), ['ann/train.json', 'images.zip']);
  assert.equal(ledger.files['ann/train.json'].sha256, sha256(files['ann/train.json']));
  assert.equal(ledger.files['ann/train.json'].verified, 'mirror');
  assert.equal(existsSync(path.join(rawDir, 'src/ann')), false, 'nothing was copied');
  const raw = openRawAccess(rawDir);
  assert.equal(await raw.readText('src', 'ann/train.json'), '{"a":1}');
});

test('a folder mirror file that does not match SHA256SUMS is not used, and the error names both hashes', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'src', files);
  writeFileSync(path.join(mirrorDir, 'src/images.zip'), 'tampered');
  const report = await ingestSource(fakeAdapter(spec), ingestSettings(t, rawDir, { kind: 'folder', dir: mirrorDir }));
  assert.equal(report.ok, false);
  const failed = report.files.find((f) => f.kind === 'failed');
  assert.ok(failed && failed.kind === 'failed');
  assert.equal(failed.reason, 'hash-mismatch');
  assert.ok(failed.detail.includes('src: images.zip') && failed.detail.includes(sha256('tampered')) && failed.detail.includes(sha256(files['images.zip'])));
  const ledger = readLedger(rawDir, 'src')!;
  assert.equal(ledger.complete, false);
  assert.equal(ledger.files['images.zip'], undefined);
});

test('a required file missing from the mirror names source, file and where it was looked for', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'src', { 'ann/train.json': '{}' });
  const report = await ingestSource(fakeAdapter(spec), ingestSettings(t, rawDir, { kind: 'folder', dir: mirrorDir }));
  assert.equal(report.ok, false);
  const failed = report.files.find((f) => f.path === 'images.zip');
  assert.ok(failed?.kind === 'failed');
  assert.equal(failed.reason, 'missing');
  assert.equal(failed.detail, `src: images.zip: not in the mirror at ${path.join(mirrorDir, 'src/images.zip')}`);
});

test('an HTTP mirror downloads into raw/<source>, verifies against its SHA256SUMS, and a rerun fetches nothing', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'src', files);
  const server = await serveFolder(mirrorDir);
  t.after(() => server.close());
  const settings = ingestSettings(t, rawDir, { kind: 'http', base: server.base });
  const report = await ingestSource(fakeAdapter(spec), settings);
  assert.equal(report.ok, true);
  assert.deepEqual(server.requests.map((r) => [r.path, r.status]).sort(), [
    ['/src/SHA256SUMS', 200], ['/src/ann/train.json', 200], ['/src/images.zip', 200], ['/src/lavis/alt.json', 404],
  ]);
  const ledger = readLedger(rawDir, 'src')!;
  assert.equal(ledger.location, path.resolve(rawDir, 'src'));
  assert.equal(ledger.mirror, server.base);
  assert.deepEqual(ledger.files['images.zip'], { ...ledger.files['images.zip'], url: `${server.base}/src/images.zip`, bytes: 13, verified: 'mirror' });
  assert.equal(readFileSync(openRawAccess(rawDir).resolve('src', 'ann/train.json'), 'utf8'), '{"a":1}');

  const before = server.requests.length;
  const rerun = await ingestSource(fakeAdapter(spec), settings);
  assert.deepEqual(rerun.files.map((f) => (f.kind === 'done' ? f.action : f.kind)), ['kept', 'kept', 'absent']);
  assert.deepEqual(server.requests.slice(before).map((r) => r.path).sort(), ['/src/SHA256SUMS', '/src/lavis/alt.json']);
});

test('without mirror checksums the spec hash is used; without either the file is recorded unverified', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'src', files, { sums: false });
  const server = await serveFolder(mirrorDir);
  t.after(() => server.close());
  const withHash = fakeSpec('src', [{ path: 'ann/train.json', sha256: sha256(files['ann/train.json']).toUpperCase() }, { path: 'images.zip' }]);
  const report = await ingestSource(fakeAdapter(withHash), ingestSettings(t, rawDir, { kind: 'http', base: server.base }));
  assert.equal(report.ok, true);
  const ledger = readLedger(rawDir, 'src')!;
  assert.equal(ledger.files['ann/train.json'].verified, 'spec');
  assert.equal(ledger.files['images.zip'].verified, 'unverified');
});

test('official URLs are checked against the spec hash; wrong bytes fail without a file under the final name', async (t) => {
  const rawDir = await tempDir(t);
  const server = await startServer((req, res, log) => sendBytes(req, res, log, Buffer.from('official bytes')));
  t.after(() => server.close());
  const official = fakeSpec('src', [
    { path: 'good.bin', url: `${server.base}/good.bin`, sha256: sha256('official bytes') },
    { path: 'bad.bin', url: `${server.base}/bad.bin`, sha256: sha256('something else') },
  ]);
  const report = await ingestSource(fakeAdapter(official), ingestSettings(t, rawDir, { kind: 'official' }));
  assert.equal(report.ok, false);
  assert.equal(readLedger(rawDir, 'src')!.files['good.bin'].verified, 'spec');
  const bad = report.files.find((f) => f.path === 'bad.bin');
  assert.ok(bad?.kind === 'failed' && bad.reason === 'hash-mismatch');
  assert.equal(existsSync(path.join(rawDir, 'src/bad.bin')), false);
  assert.equal(existsSync(path.join(rawDir, 'src/bad.bin.part')), false);
});

test('a spec path that escapes the raw folder is refused before anything is fetched', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  const server = await serveFolder(mirrorDir);
  t.after(() => server.close());
  const evil = fakeSpec('src', [{ path: '../outside.json' }, { path: '/etc/passwd' }]);
  const report = await ingestSource(fakeAdapter(evil), ingestSettings(t, rawDir, { kind: 'http', base: server.base }));
  assert.equal(report.ok, false);
  assert.deepEqual(report.files.map((f) => f.kind === 'failed' && f.reason), ['bad-path', 'bad-path']);
  assert.deepEqual(server.requests.map((r) => r.path), ['/src/SHA256SUMS']);
  assert.equal(existsSync(path.join(rawDir, 'outside.json')), false);
});

test('checksums that cannot be read fail the source as a whole', async (t) => {
  const rawDir = await tempDir(t);
  const server = await startServer((_req, res, log) => {
    log.status = 500;
    res.writeHead(500).end();
  });
  t.after(() => server.close());
  const report = await ingestSource(fakeAdapter(spec), ingestSettings(t, rawDir, { kind: 'http', base: server.base }));
  assert.equal(report.ok, false);
  assert.match(report.error ?? '', /src: cannot read the mirror's SHA256SUMS: .*HTTP 500/);
});

async function* listFrom(raw: import('../../pipelines/raw/access.ts').RawAccess): AsyncGenerator<UrlListEntry> {
  const list = JSON.parse(await raw.readText('urls', 'list.json')) as Array<{ url: string; key: string }>;
  for (const item of list) yield { url: item.url, path: `images/${item.key}.jpg` };
}

test('a URL-list source copies its annotations into raw/<source> beside the images (not in place)', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  const list = [1, 2, 3].map((n) => ({ url: `http://covers.example.org/p/${n}.jpg`, key: `b${n}` }));
  writeMirror(mirrorDir, 'urls', {
    'list.json': JSON.stringify(list),
    'urls/covers.example.org/p/1.jpg': fakeJpeg(1),
    'urls/covers.example.org/p/2.jpg': fakeJpeg(2),
  });
  const adapter = fakeAdapter(fakeSpec('urls', [{ path: 'list.json' }]), listFrom);
  const report = await ingestSource(adapter, ingestSettings(t, rawDir, { kind: 'folder', dir: mirrorDir }));
  assert.equal(report.ok, true);
  assert.equal(report.inPlace, false);
  const ledger = readLedger(rawDir, 'urls')!;
  assert.equal(ledger.location, path.resolve(rawDir, 'urls'));
  assert.deepEqual(ledger.urlList, { total: 3, ok: 2, failed: { missing: 1 }, statusFile: 'url-status.jsonl' });
  const raw = openRawAccess(rawDir);
  assert.ok(raw.exists('urls', 'list.json'));
  assert.deepEqual(await raw.readFile('urls', 'images/b2.jpg'), fakeJpeg(2));
});

test('a URL-list source over an HTTP mirror, then a rerun that only retries the failures', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  const list = [1, 2, 3].map((n) => ({ url: `http://covers.example.org/p/${n}.jpg`, key: `b${n}` }));
  writeMirror(mirrorDir, 'urls', { 'list.json': JSON.stringify(list), 'urls/covers.example.org/p/1.jpg': fakeJpeg(1), 'urls/covers.example.org/p/2.jpg': fakeJpeg(2) });
  const server = await serveFolder(mirrorDir);
  t.after(() => server.close());
  const adapter = fakeAdapter(fakeSpec('urls', [{ path: 'list.json' }]), listFrom);
  const settings = ingestSettings(t, rawDir, { kind: 'http', base: server.base });
  const first = await ingestSource(adapter, settings);
  assert.deepEqual(first.urlList?.totals.failed, { 'http-404': 1 });
  writeMirror(mirrorDir, 'urls', { 'urls/covers.example.org/p/3.jpg': fakeJpeg(3) }, { sums: false });
  const before = server.requests.length;
  const second = await ingestSource(adapter, settings);
  assert.deepEqual(second.urlList?.totals, { total: 3, ok: 3, failed: {}, statusFile: 'url-status.jsonl' });
  assert.deepEqual(server.requests.slice(before).map((r) => r.path), ['/urls/SHA256SUMS', '/urls/urls/covers.example.org/p/3.jpg']);
  assert.deepEqual(readFileSync(openRawAccess(rawDir).resolve('urls', 'images/b3.jpg')), fakeJpeg(3));
});
