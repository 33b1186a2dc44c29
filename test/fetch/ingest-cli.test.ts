import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { runIngestCli, USAGE } from '../../pipelines/fetch/ingest-cli.ts';
import { readLedger } from '../../pipelines/raw/ledger.ts';
import type { SourceAdapter } from '../../pipelines/sources/types.ts';
import { fakeAdapter, fakeSpec, writeMirror } from './helpers/fake-source.ts';
import { tempDir } from './helpers/settings.ts';

async function run(argv: string[], adapters: SourceAdapter[]) {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runIngestCli(argv, { stdout, stderr, loadAdapters: async () => adapters });
  return { code, out, err };
}

const coco = fakeAdapter(fakeSpec('coco', [{ path: 'ann.json' }], { datasets: ['coco-caption'] }));
const vqav2 = fakeAdapter(fakeSpec('vqav2', [{ path: 'q.json' }, { path: 'lavis.json', optional: true }], { datasets: ['vqav2'], uses: ['coco'] }));
const gqa = fakeAdapter(fakeSpec('gqa', [{ path: 'testdev.json' }], { datasets: ['gqa'] }));

test('--help prints the options and exits 0', async () => {
  const { code, out } = await run(['--help'], []);
  assert.equal(code, 0);
  for (const option of ['--datasets', '--held-in', '--held-out', '--mirror', '--raw-dir', '--concurrency', '--retries', '--timeout']) assert.ok(out.includes(option), option);
});

test('the README shows the usage text the CLI prints', () => {
  const readme = readFileSync(new URL('../../pipelines/fetch/README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(`\`\`\`text\n${USAGE}\`\`\``), 'pipelines/fetch/README.md usage block is out of date with USAGE in ingest-cli.ts');
});

test('bad usage exits 2 with the reason and the usage text', async (t) => {
  const dir = await tempDir(t);
  for (const [argv, message] of [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--concurrency', '0'], /--concurrency must be a positive integer, got "0"/],
    [['--mirror', path.join(dir, 'nope')], /not "sample", "official", an http\(s\) base URL, or an existing folder/],
    [['--datasets', 'vqa3'], /unknown dataset\(s\): vqa3/],
    [['--datasets', 'gqa'], /"gqa" comes from source "gqa", which has no adapter/],
  ] as const) {
    const { code, err } = await run([...argv], [coco, vqav2]);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err, message);
    assert.match(err, /Usage: npm run ingest/);
  }
});

test('a dataset brings its used sources; plain progress lines and a summary; exit 0', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'coco', { 'ann.json': '{}' });
  writeMirror(mirrorDir, 'vqav2', { 'q.json': '[]' });
  const { code, out } = await run(['--datasets', 'vqav2', '--mirror', mirrorDir, '--raw-dir', rawDir], [coco, vqav2, gqa]);
  assert.equal(code, 0, out);
  assert.match(out, /^coco files: 1 items$/m);
  assert.match(out, /^vqav2: ok \(read in place from .*vqav2\)$/m);
  assert.match(out, /optional, not in mirror: lavis\.json/);
  assert.match(out, /ingest: 2 source\(s\) ok/);
  assert.equal(readLedger(rawDir, 'coco')?.complete, true);
  assert.equal(existsSync(path.join(rawDir, 'gqa')), false);
});

test('a missing required file exits 1 and the summary names it', async (t) => {
  const [mirrorDir, rawDir] = [await tempDir(t), await tempDir(t)];
  writeMirror(mirrorDir, 'coco', { 'ann.json': '{}' });
  writeMirror(mirrorDir, 'gqa', {});
  const { code, out } = await run(['--held-out', '--mirror', mirrorDir, '--raw-dir', rawDir], [coco, vqav2, gqa]);
  assert.equal(code, 1);
  assert.match(out, /no adapter yet, not ingested: .*nocaps/);
  assert.match(out, /FAILED: gqa: testdev\.json: not in the mirror at .*gqa.testdev\.json/);
  assert.match(out, /ingest: 1 of 1 source\(s\) failed: gqa/);
  assert.equal(readLedger(rawDir, 'gqa')?.complete, false);
});
