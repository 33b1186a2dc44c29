import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Mirror } from '../../pipelines/fetch/mirror.ts';
import { fetchUrlList, type UrlListOptions } from '../../pipelines/fetch/url-list.ts';
import type { UrlListEntry } from '../../pipelines/sources/types.ts';
import { never, sendBytes, sendStatus, startServer, type FaultServer } from './helpers/fault-server.ts';
import { fakeJpeg } from './helpers/images.ts';
import { tempDir, testHttp } from './helpers/settings.ts';
import { readStatusLines } from './helpers/url-status.ts';

async function* list(entries: UrlListEntry[]) {
  yield* entries;
}

/** Serves /img/<name>: ok-N images, and one fault per special name. `fixed` turns the 404 into an image. */
async function imageServer(t: TestContext, state = { fixed: false, flakyHits: 0 }): Promise<FaultServer> {
  const server = await startServer(async (req, res, log) => {
    const name = path.basename(log.path);
    if (name.startsWith('ok-')) return sendBytes(req, res, log, fakeJpeg(Number.parseInt(name.slice(3), 10)));
    if (name === 'gone.jpg') return state.fixed ? sendBytes(req, res, log, fakeJpeg(99)) : sendStatus(res, log, 404);
    if (name === 'page.jpg') return sendBytes(req, res, log, Buffer.from('<html>moved</html>'));
    if (name === 'silent.jpg') return never();
    if (name === 'flaky.jpg') return state.flakyHits++ === 0 ? sendStatus(res, log, 503) : sendBytes(req, res, log, fakeJpeg(6));
    if (name === 'reset.jpg') return sendBytes(req, res, log, fakeJpeg(7), { breakAfter: 100, breakWith: 'reset' });
    if (name === 'forbidden.jpg') return sendStatus(res, log, 403);
    return sendStatus(res, log, 500);
  });
  t.after(() => server.close());
  return server;
}

function entriesFor(urlOf: (name: string) => string): UrlListEntry[] {
  const names = ['ok-1.jpg', 'ok-2.jpg', 'ok-3.jpg', 'gone.jpg', 'page.jpg', 'flaky.jpg', 'reset.jpg', 'forbidden.jpg'];
  return [
    ...names.map((n) => ({ url: urlOf(n), path: `images/${n}` })),
    { url: urlOf('ok-1.jpg'), path: 'images/ok-1.jpg' },
    { url: urlOf('ok-4.jpg'), path: '../escape.jpg' },
    { url: 'not a url', path: 'images/bad-url.jpg' },
  ];
}

async function options(t: TestContext, mirror: Mirror, overrides: Partial<UrlListOptions> = {}): Promise<UrlListOptions> {
  const { http } = testHttp(t, { retries: 1 });
  return { source: 'src', rawRoot: path.join(await tempDir(t), 'src'), mirror, http, concurrency: 4, maxImageBytes: 1 << 20, ...overrides };
}

test('official URLs: every entry ends ok or counted with its reason, and the status file says which', async (t) => {
  const server = await imageServer(t);
  const opts = await options(t, { kind: 'official' });
  const result = await fetchUrlList(list(entriesFor((n) => `${server.base}/img/${n}`)), opts);
  assert.deepEqual(result.totals, {
    total: 11, ok: 5,
    failed: { 'http-404': 1, 'not-an-image': 1, 'connection-error': 1, 'http-403': 1, 'bad-path': 1, 'bad-url': 1 },
    statusFile: 'url-status.jsonl',
  });
  for (const n of [1, 2, 3]) assert.deepEqual(readFileSync(path.join(opts.rawRoot, `images/ok-${n}.jpg`)), fakeJpeg(n));
  assert.deepEqual(readFileSync(path.join(opts.rawRoot, 'images/flaky.jpg')), fakeJpeg(6));
  for (const n of ['gone', 'page', 'reset', 'forbidden']) assert.equal(existsSync(path.join(opts.rawRoot, `images/${n}.jpg`)), false, n);
  assert.equal(existsSync(path.join(path.dirname(opts.rawRoot), 'escape.jpg')), false);
  const lines = readStatusLines(path.join(opts.rawRoot, 'url-status.jsonl'));
  const byPath = new Map(lines.map((l) => [l.path, l.status]));
  assert.equal(byPath.get('images/gone.jpg'), 'http-404');
  assert.equal(byPath.get('../escape.jpg'), 'bad-path');
  assert.equal(lines.filter((l) => l.path === 'images/ok-1.jpg').length, 1, 'the duplicate entry was fetched once');
  assert.equal(server.requestsFor('/img/ok-1.jpg').length, 1);
});

test('a rerun never refetches ok images and retries everything that failed', async (t) => {
  const state = { fixed: false, flakyHits: 0 };
  const server = await imageServer(t, state);
  const opts = await options(t, { kind: 'official' });
  const entries = entriesFor((n) => `${server.base}/img/${n}`);
  await fetchUrlList(list(entries), opts);
  const before = server.requests.length;
  state.fixed = true;
  const rerun = await fetchUrlList(list(entries), opts);
  const again = server.requests.slice(before).map((r) => path.basename(r.path)).sort();
  assert.deepEqual(again, ['forbidden.jpg', 'gone.jpg', 'page.jpg', 'reset.jpg', 'reset.jpg']);
  assert.equal(rerun.totals.ok, 6);
  assert.equal(rerun.alreadyPresent, 5);
  assert.deepEqual(readFileSync(path.join(opts.rawRoot, 'images/gone.jpg')), fakeJpeg(99));
  const lines = readStatusLines(path.join(opts.rawRoot, 'url-status.jsonl'));
  assert.deepEqual(lines.filter((l) => l.path === 'images/gone.jpg').map((l) => l.status), ['http-404', 'ok']);
});

test('a server that never answers is counted as a timeout after its retries', async (t) => {
  const server = await imageServer(t);
  const { http } = testHttp(t, { headersTimeoutMs: 200, retries: 1 });
  const opts = await options(t, { kind: 'official' }, { http });
  const result = await fetchUrlList(list([{ url: `${server.base}/img/silent.jpg`, path: 'silent.jpg' }]), opts);
  assert.deepEqual(result.totals.failed, { timeout: 1 });
  assert.equal(server.requests.length, 2);
  const [line] = readStatusLines(path.join(opts.rawRoot, 'url-status.jsonl'));
  assert.match(line.detail ?? '', /src: silent\.jpg: timed out \(no response headers for 200 ms\)/);
});

test('an HTTP mirror is asked for <base>/<source>/urls/<host>/<path>', async (t) => {
  const server = await imageServer(t);
  const opts = await options(t, { kind: 'http', base: `${server.base}/mirror` });
  const result = await fetchUrlList(list([{ url: 'http://covers.example.com/img/ok-8.jpg?size=L', path: 'a/8.jpg' }]), opts);
  assert.equal(result.totals.ok, 1);
  assert.deepEqual(server.requests.map((r) => r.path), ['/mirror/src/urls/covers.example.com/img/ok-8.jpg']);
  assert.deepEqual(readFileSync(path.join(opts.rawRoot, 'a/8.jpg')), fakeJpeg(8));
});

test('a folder mirror is read from <folder>/<source>/urls/<host>/<path>; absent files count as missing', async (t) => {
  const mirrorDir = await tempDir(t);
  const hostDir = path.join(mirrorDir, 'src/urls/covers.example.com/img');
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(path.join(hostDir, '1.jpg'), fakeJpeg(1));
  writeFileSync(path.join(hostDir, 'text.jpg'), 'hello');
  const opts = await options(t, { kind: 'folder', dir: mirrorDir });
  const result = await fetchUrlList(list([
    { url: 'http://covers.example.com/img/1.jpg', path: 'i/1.jpg' },
    { url: 'http://covers.example.com/img/text.jpg', path: 'i/text.jpg' },
    { url: 'http://covers.example.com/img/none.jpg', path: 'i/none.jpg' },
  ]), opts);
  assert.deepEqual(result.totals.failed, { 'not-an-image': 1, missing: 1 });
  assert.deepEqual(readFileSync(path.join(opts.rawRoot, 'i/1.jpg')), fakeJpeg(1));
});

test('an image larger than the cap is refused', async (t) => {
  const server = await startServer((req, res, log) => sendBytes(req, res, log, fakeJpeg(1, 5000)));
  t.after(() => server.close());
  const opts = await options(t, { kind: 'official' }, { maxImageBytes: 1000 });
  const result = await fetchUrlList(list([{ url: `${server.base}/big.jpg`, path: 'big.jpg' }]), opts);
  assert.deepEqual(result.totals.failed, { 'too-large': 1 });
});

test('a status file torn by a crash gets its next record on a fresh line', async (t) => {
  const server = await imageServer(t);
  const opts = await options(t, { kind: 'official' });
  mkdirSync(opts.rawRoot, { recursive: true });
  writeFileSync(path.join(opts.rawRoot, 'url-status.jsonl'), '{"path":"x","url":"y","status":"ok","at":"t"}\n{"path":"images/ok');
  await fetchUrlList(list([{ url: `${server.base}/img/ok-1.jpg`, path: 'images/ok-1.jpg' }]), opts);
  const text = readFileSync(path.join(opts.rawRoot, 'url-status.jsonl'), 'utf8').split('\n');
  assert.equal(text[1], '{"path":"images/ok');
  assert.equal(JSON.parse(text[2]).status, 'ok');
});

test('an empty file under an image name (what an OS crash can leave) is fetched again', async (t) => {
  const server = await imageServer(t);
  const opts = await options(t, { kind: 'official' });
  mkdirSync(path.join(opts.rawRoot, 'images'), { recursive: true });
  writeFileSync(path.join(opts.rawRoot, 'images/ok-1.jpg'), '');
  const result = await fetchUrlList(list([{ url: `${server.base}/img/ok-1.jpg`, path: 'images/ok-1.jpg' }]), opts);
  assert.equal(result.alreadyPresent, 0);
  assert.deepEqual(readFileSync(path.join(opts.rawRoot, 'images/ok-1.jpg')), fakeJpeg(1));
});
