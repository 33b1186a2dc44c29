/**
 * URL-list fetching (OCR-VQA, CapFilt style): small images from a local HTTP server on 127.0.0.1,
 * fetched, magic-checked, written and logged at concurrency 64. The server is a separate process,
 * so the fetcher's CPU time (images per CPU-second) is its own: on a busy shared machine wall-clock
 * rates swing with the load, CPU cost does not. Target: at least 1,000 images per second.
 * Each fresh pass writes into an empty folder; after a warm-up, three are timed and the best is
 * what the target is checked against (the machine is shared, so the slower ones measure the
 * neighbours). A last pass over the same list shows a rerun where every image is already there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createDispatcher } from '../pipelines/fetch/http.ts';
import { DEFAULT_RETRY } from '../pipelines/fetch/retry.ts';
import { fetchUrlList } from '../pipelines/fetch/url-list.ts';
import type { UrlListEntry } from '../pipelines/sources/types.ts';

const IMAGES = 6000;
const CONCURRENCY = 64;
const IMAGE_BYTES = 2048;

const serverSource = `
const http = require('node:http');
const size = Number(process.argv[1]);
const server = http.createServer((req, res) => {
  const n = Number(req.url.split('/').pop().split('.')[0]);
  const body = Buffer.alloc(size, n & 0xff);
  body.set([0xff, 0xd8, 0xff, 0xe0]);
  body.writeUInt32BE(n, 4);
  res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function* entries(base: string, count: number): AsyncGenerator<UrlListEntry> {
  for (let i = 0; i < count; i++) yield { url: `${base}/img/${i}.jpg`, path: `images/${String(i % 100).padStart(2, '0')}/${i}.jpg` };
}

const server = spawn(process.execPath, ['-e', serverSource, String(IMAGE_BYTES)], { stdio: ['ignore', 'pipe', 'inherit'] });
const [firstOutput] = (await once(server.stdout!, 'data')) as [Buffer];
const port = Number(firstOutput.toString().trim());
const base = `http://127.0.0.1:${port}`;
const dir = await mkdtemp(path.join(os.tmpdir(), 'url-list-bench-'));
const dispatcher = createDispatcher(CONCURRENCY);
const options = (rawRoot: string) => ({
  source: 'bench',
  rawRoot,
  mirror: { kind: 'official' as const },
  http: { dispatcher, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, retry: DEFAULT_RETRY },
  concurrency: CONCURRENCY,
  maxImageBytes: 1 << 20,
});

async function timed(label: string, folder: string, count = IMAGES) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await fetchUrlList(entries(base, count), options(path.join(dir, folder)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  if (result.totals.ok !== count) throw new Error(`${label}: only ${result.totals.ok} of ${count} ok: ${JSON.stringify(result.totals.failed)}`);
  return { label, seconds, rate: count / seconds, cpuRate: count / ((cpu.user + cpu.system) / 1e6) };
}

try {
  await timed('warm-up', 'warm-up', 1000);
  const fresh = [];
  for (let pass = 1; pass <= 3; pass++) fresh.push(await timed(`fetch ${pass} (empty folder)`, `pass-${pass}`));
  const rerun = await timed('rerun of fetch 3 (all present)', 'pass-3');
  const best = fresh.reduce((a, b) => (b.rate > a.rate ? b : a));
  console.log(`${IMAGES} images of ${IMAGE_BYTES} bytes from 127.0.0.1, concurrency ${CONCURRENCY}, official mirror (one request each), target >= 1,000 images/s\n`);
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log('| pass | seconds | images/s | images per fetcher CPU-second |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const row of [...fresh, rerun]) console.log(`| ${row.label} | ${row.seconds.toFixed(2)} | ${n(row.rate)} | ${n(row.cpuRate)} |`);
  console.log(`\nload average (1 min) during the run: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`best fresh pass: ${n(best.rate)} images/s (${best.rate >= 1000 ? 'meets' : 'below'} the 1,000 images/s target)`);
} finally {
  await dispatcher.close();
  server.kill();
  await rm(dir, { recursive: true, force: true });
}
