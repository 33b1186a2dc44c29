import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fakeSpec, writeMirror } from './helpers/fake-source.ts';
import type { FaultServer } from './helpers/fault-server.ts';
import { serveFolder } from './helpers/folder-server.ts';
import { fakeJpeg } from './helpers/images.ts';
import { bytesOf, tempDir } from './helpers/settings.ts';

const child = fileURLToPath(new URL('./fixtures/ingest-child.ts', import.meta.url));
const big = { 'a.bin': bytesOf(1, 1_500_000), 'sub/b.bin': bytesOf(2, 1_200_000) };
const images = Array.from({ length: 120 }, (_, i) => ({ url: `http://img.example/c/${i}.jpg`, path: `images/${i}.jpg` }));
const sources = [
  fakeSpec('big', Object.keys(big).map((p) => ({ path: p }))),
  { ...fakeSpec('pics', [{ path: 'list.json' }]), listFile: 'list.json' },
];

function startIngest(base: string, rawDir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', child, '--mirror', base, '--raw-dir', rawDir, '--timeout', '10', '--concurrency', '8'], {
    env: { ...process.env, FAKE_SOURCES: JSON.stringify(sources) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

/** Every file under its final name is whole: only `.part` files (and the ledger's atomic-write `.tmp`) may be partial. */
function assertNothingHalfWritten(rawDir: string): void {
  for (const rel of filesUnder(rawDir)) {
    if (rel.endsWith('.part') || /ledger\.json\.[0-9a-f]+\.tmp$/.test(rel)) continue;
    const text = () => readFileSync(path.join(rawDir, rel), 'utf8');
    const [source, ...rest] = rel.split(path.sep);
    const inner = rest.join('/');
    if (inner === 'ledger.json') JSON.parse(text());
    else if (inner === 'url-status.jsonl') text().split('\n').slice(0, -1).forEach((line) => line === '' || JSON.parse(line));
    else if (source === 'big') assert.deepEqual(readFileSync(path.join(rawDir, rel)), big[inner as keyof typeof big], rel);
    else if (inner === 'list.json') assert.equal(text(), JSON.stringify(images));
    else assert.deepEqual(readFileSync(path.join(rawDir, rel)), fakeJpeg(Number(path.basename(inner, '.jpg'))), rel);
  }
}

const servedBig = (server: FaultServer) => server.requests.filter((r) => r.path.startsWith('/big/') && !r.path.endsWith('SHA256SUMS')).reduce((n, r) => n + r.bodyBytes, 0);
const servedImages = (server: FaultServer) => server.requests.filter((r) => r.path.startsWith('/pics/urls/') && r.status === 200).length;

test('kill -9 mid-download, twice, then a rerun completes; no final-named file is ever partial', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'big', big);
  writeMirror(mirrorDir, 'pics', { 'list.json': JSON.stringify(images), ...Object.fromEntries(images.map((_, i) => [`urls/img.example/c/${i}.jpg`, fakeJpeg(i)])) });
  let slow = true;
  const server = await serveFolder(mirrorDir, () => (slow ? { chunkSize: 32 * 1024, chunkDelayMs: 15 } : {}));
  t.after(() => server.close());

  const onDisk = (rel: string) => statSync(path.join(rawDir, 'big', `${rel}.part`), { throwIfNoEntry: false })?.size ?? 0;
  const first = startIngest(server.base, rawDir);
  await waitFor(() => servedBig(server) > 600_000 && onDisk('a.bin') + onDisk('sub/b.bin') > 0, 'the big files to be part-way');
  first.kill('SIGKILL');
  await once(first, 'exit');
  assertNothingHalfWritten(rawDir);
  const partSizes = ['a.bin', 'sub/b.bin'].map(onDisk);

  const resumeFrom = server.requests.length;
  const second = startIngest(server.base, rawDir);
  await waitFor(() => servedImages(server) >= 30, 'some images to be fetched');
  second.kill('SIGKILL');
  await once(second, 'exit');
  assertNothingHalfWritten(rawDir);
  const resumed = server.requests.slice(resumeFrom).filter((r) => r.path.startsWith('/big/') && r.range);
  assert.deepEqual(resumed.map((r) => r.range).sort(), partSizes.filter((n) => n > 0).map((n) => `bytes=${n}-`).sort());

  slow = false;
  const imagesOnDisk = filesUnder(path.join(rawDir, 'pics/images')).filter((f) => f.endsWith('.jpg')).length;
  assert.ok(imagesOnDisk > 0);
  const imagesBefore = servedImages(server);
  const last = startIngest(server.base, rawDir);
  let output = '';
  last.stdout!.on('data', (c) => (output += c));
  const [code] = await once(last, 'exit');
  assert.equal(code, 0, output);
  assertNothingHalfWritten(rawDir);
  assert.deepEqual(filesUnder(rawDir).filter((f) => f.endsWith('.part')), []);
  assert.equal(filesUnder(path.join(rawDir, 'pics/images')).filter((f) => f.endsWith('.jpg')).length, images.length);
  assert.equal(servedImages(server) - imagesBefore, images.length - imagesOnDisk, 'images fetched before the kill were not fetched again');
  assert.match(output, /ingest: 2 source\(s\) ok/);
});
