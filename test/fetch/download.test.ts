import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { downloadFile, partPath } from '../../pipelines/fetch/download.ts';
import { FetchFailure } from '../../pipelines/fetch/fetch-failure.ts';
import { fileReaches, never, sendBytes, sendStatus, startServer } from './helpers/fault-server.ts';
import { bytesOf, tempDir, testHttp } from './helpers/settings.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const data = bytesOf(7, 200_000);

test('a plain download is verified and renamed into place', async (t) => {
  const server = await startServer((req, res, log) => sendBytes(req, res, log, data));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const dest = path.join(dir, 'a/b.bin');
  const { http } = testHttp(t);
  const result = await downloadFile(`${server.base}/b.bin`, dest, { http, expectedSha256: sha(data), what: 'src: a/b.bin' });
  assert.deepEqual(result, { bytes: data.length, sha256: sha(data), resumedFrom: 0 });
  assert.deepEqual(readFileSync(dest), data);
  assert.equal(existsSync(partPath(dest)), false);
});

test('a dropped connection leaves a .part that the rerun resumes with Range, fetching no byte twice', async (t) => {
  const dir = await tempDir(t);
  const dest = path.join(dir, 'b.bin');
  let first = true;
  const server = await startServer((req, res, log) => {
    const breakAfter = first ? 70_000 : undefined;
    first = false;
    return sendBytes(req, res, log, data, { breakAfter, breakWith: 'drop', beforeBreak: () => fileReaches(partPath(dest), 70_000) });
  });
  t.after(() => server.close());
  const { http } = testHttp(t, { retries: 0 });
  await assert.rejects(downloadFile(`${server.base}/b.bin`, dest, { http, what: 'src: b.bin' }), (err: FetchFailure) => {
    assert.equal(err.reason, 'connection-error');
    return true;
  });
  assert.equal(existsSync(dest), false);
  assert.equal(statSync(partPath(dest)).size, 70_000);

  const result = await downloadFile(`${server.base}/b.bin`, dest, { http, expectedSha256: sha(data), what: 'src: b.bin' });
  assert.equal(result.resumedFrom, 70_000);
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => [r.range, r.status]), [[undefined, 200], ['bytes=70000-', 206]]);
  assert.equal(server.requests.reduce((sum, r) => sum + r.bodyBytes, 0), data.length);
});

test('a connection reset mid-body is retried in the same run from where the .part ends', async (t) => {
  const dir = await tempDir(t);
  const dest = path.join(dir, 'c.bin');
  let first = true;
  const server = await startServer((req, res, log) => {
    const breakAfter = first ? 50_000 : undefined;
    first = false;
    return sendBytes(req, res, log, data, { breakAfter, breakWith: 'reset', beforeBreak: () => fileReaches(partPath(dest), 50_000) });
  });
  t.after(() => server.close());
  const { http, sleeps } = testHttp(t);
  await downloadFile(`${server.base}/c.bin`, dest, { http, expectedSha256: sha(data), what: 'src: c.bin' });
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => r.range), [undefined, 'bytes=50000-']);
  assert.equal(server.requests[1].bodyBytes, data.length - 50_000);
  assert.equal(sleeps.length, 1);
});

test('a body shorter than its Content-Length is truncated and resumed from what is on disk', async (t) => {
  const dir = await tempDir(t);
  const dest = path.join(dir, 'd.bin');
  let first = true;
  const server = await startServer((req, res, log) => {
    const breakAfter = first ? 123_456 : undefined;
    first = false;
    return sendBytes(req, res, log, data, { breakAfter, breakWith: 'drop', beforeBreak: () => fileReaches(partPath(dest), 123_456) });
  });
  t.after(() => server.close());
  const { http } = testHttp(t);
  await downloadFile(`${server.base}/d.bin`, dest, { http, expectedSha256: sha(data), what: 'src: d.bin' });
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => r.range), [undefined, 'bytes=123456-']);
  assert.equal(server.requests.reduce((sum, r) => sum + r.bodyBytes, 0), data.length);
});

test('a server that ignores Range restarts the file cleanly', async (t) => {
  const server = await startServer((req, res, log) => sendBytes(req, res, log, data, { ignoreRange: true }));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const dest = path.join(dir, 'e.bin');
  writeFileSync(partPath(dest), data.subarray(0, 1000));
  const { http } = testHttp(t);
  await downloadFile(`${server.base}/e.bin`, dest, { http, expectedSha256: sha(data), what: 'src: e.bin' });
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => [r.range, r.status]), [['bytes=1000-', 200]]);
});

test('a 206 starting at the wrong byte is not appended', async (t) => {
  let first = true;
  const server = await startServer((req, res, log) => {
    if (first) {
      first = false;
      log.status = 206;
      res.writeHead(206, { 'content-range': `bytes 0-9/${data.length}`, 'content-length': '10' }).end(data.subarray(0, 10));
      return;
    }
    return sendBytes(req, res, log, data);
  });
  t.after(() => server.close());
  const dir = await tempDir(t);
  const dest = path.join(dir, 'f.bin');
  writeFileSync(partPath(dest), data.subarray(0, 500));
  const { http } = testHttp(t);
  await downloadFile(`${server.base}/f.bin`, dest, { http, expectedSha256: sha(data), what: 'src: f.bin' });
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => r.range), ['bytes=500-', undefined]);
});

test('a .part that is already whole is verified without downloading again (416)', async (t) => {
  const server = await startServer((req, res, log) => sendBytes(req, res, log, data));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const dest = path.join(dir, 'g.bin');
  writeFileSync(partPath(dest), data);
  const { http } = testHttp(t);
  await downloadFile(`${server.base}/g.bin`, dest, { http, expectedSha256: sha(data), what: 'src: g.bin' });
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => r.status), [416]);
});

test('503 with Retry-After waits as asked, then succeeds', async (t) => {
  let n = 0;
  const server = await startServer((req, res, log) => {
    if (n++ === 0) return sendStatus(res, log, 503, { 'retry-after': '7' });
    return sendBytes(req, res, log, data);
  });
  t.after(() => server.close());
  const dir = await tempDir(t);
  const { http, sleeps } = testHttp(t);
  await downloadFile(`${server.base}/h.bin`, path.join(dir, 'h.bin'), { http, expectedSha256: sha(data), what: 'src: h.bin' });
  assert.deepEqual(sleeps, [7000]);
});

test('429 without Retry-After backs off exponentially', async (t) => {
  let n = 0;
  const server = await startServer((req, res, log) => {
    if (n++ < 2) return sendStatus(res, log, 429);
    return sendBytes(req, res, log, data);
  });
  t.after(() => server.close());
  const dir = await tempDir(t);
  const { http, sleeps } = testHttp(t);
  await downloadFile(`${server.base}/i.bin`, path.join(dir, 'i.bin'), { http, what: 'src: i.bin' });
  assert.equal(sleeps.length, 2);
  assert.ok(sleeps[0] >= 5 && sleeps[0] <= 10, `first backoff ${sleeps[0]}`);
  assert.ok(sleeps[1] >= 10 && sleeps[1] <= 20, `second backoff ${sleeps[1]}`);
});

test('headers that do not come in time are a timeout, retried; a server that never answers fails as a timeout', async (t) => {
  let n = 0;
  const server = await startServer((req, res, log) => {
    if (req.url === '/never.bin' || n++ === 0) return never();
    return sendBytes(req, res, log, data);
  });
  t.after(() => server.close());
  const dir = await tempDir(t);
  const { http } = testHttp(t, { headersTimeoutMs: 1000, retries: 2 });
  await downloadFile(`${server.base}/slow.bin`, path.join(dir, 'slow.bin'), { http, expectedSha256: sha(data), what: 'src: slow.bin' });
  assert.deepEqual(readFileSync(path.join(dir, 'slow.bin')), data);
  assert.equal(server.requestsFor('/slow.bin').length, 2);
  const { http: impatient } = testHttp(t, { headersTimeoutMs: 200, retries: 1 });
  await assert.rejects(
    downloadFile(`${server.base}/never.bin`, path.join(dir, 'never.bin'), { http: impatient, what: 'src: never.bin' }),
    (err: FetchFailure) => err.reason === 'timeout' && /src: never\.bin: timed out \(no response headers for 200 ms\)/.test(err.message),
  );
  assert.equal(server.requestsFor('/never.bin').length, 2);
});

test('a stalled body times out and resumes from what arrived', async (t) => {
  let n = 0;
  const server = await startServer((req, res, log) => sendBytes(req, res, log, data, n++ === 0 ? { stallAfter: 40_000 } : {}));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const { http } = testHttp(t, { bodyTimeoutMs: 1000 });
  await downloadFile(`${server.base}/stall.bin`, path.join(dir, 'stall.bin'), { http, expectedSha256: sha(data), what: 'src: stall.bin' });
  assert.deepEqual(readFileSync(path.join(dir, 'stall.bin')), data);
  assert.match(server.requests[1].range ?? '', /^bytes=\d+-$/);
});

test('404 fails at once with the status as reason', async (t) => {
  const server = await startServer((_req, res, log) => sendStatus(res, log, 404));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const { http, sleeps } = testHttp(t);
  await assert.rejects(downloadFile(`${server.base}/x.bin`, path.join(dir, 'x.bin'), { http, what: 'src: x.bin' }), (err: FetchFailure) => {
    assert.equal(err.reason, 'http-404');
    assert.match(err.message, /src: x\.bin: HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/x\.bin/);
    return true;
  });
  assert.equal(sleeps.length, 0);
});

test('wrong bytes are discarded with both hashes named', async (t) => {
  const server = await startServer((req, res, log) => sendBytes(req, res, log, data));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const dest = path.join(dir, 'w.bin');
  const { http } = testHttp(t);
  const expected = 'ab'.repeat(32);
  await assert.rejects(downloadFile(`${server.base}/w.bin`, dest, { http, expectedSha256: expected, what: 'src: w.bin' }), (err: FetchFailure) => {
    assert.equal(err.reason, 'hash-mismatch');
    assert.ok(err.message.includes(expected) && err.message.includes(sha(data)) && err.message.includes('src: w.bin'));
    return true;
  });
  assert.equal(existsSync(dest), false);
  assert.equal(existsSync(partPath(dest)), false);
});

test('a stale .part from another file version gets one clean restart', async (t) => {
  const server = await startServer((req, res, log) => sendBytes(req, res, log, data));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const dest = path.join(dir, 's.bin');
  writeFileSync(partPath(dest), Buffer.alloc(5000, 1));
  const { http } = testHttp(t);
  await downloadFile(`${server.base}/s.bin`, dest, { http, expectedSha256: sha(data), what: 'src: s.bin' });
  assert.deepEqual(readFileSync(dest), data);
  assert.deepEqual(server.requests.map((r) => r.range), ['bytes=5000-', undefined]);
});
