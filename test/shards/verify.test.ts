import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildShards } from '../../pipelines/shards/build/build-shards.ts';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { verifyShards } from '../../pipelines/shards/verify.ts';
import type { AdapterOutput } from '../../pipelines/sources/types.ts';
import { photoJpeg } from '../media/fixture-images.ts';
import { fakeAdapter, imageRef, sourceRecord, writeRaw } from './fake-source.ts';

const root = mkdtempSync(path.join(tmpdir(), 'verify-'));
const dirs = { shardsDir: path.join(root, 'shards'), manifestsDir: path.join(root, 'manifests') };
after(() => rmSync(root, { recursive: true, force: true }));

async function* outputs(): AsyncIterable<AdapterOutput> {
  for (let i = 0; i < 400; i++) yield { record: sourceRecord('okvqa', i < 300 ? 'train' : 'val', i, [imageRef('alpha', `img/${i % 3}.jpg`)]) };
}

before(async () => {
  const rawDir = path.join(root, 'raw');
  writeRaw(rawDir, 'alpha', 'annotations.json', '[]');
  for (let i = 0; i < 3; i++) writeRaw(rawDir, 'alpha', `img/${i}.jpg`, await photoJpeg(900 + i, 200, 150));
  const adapter = fakeAdapter({ source: 'alpha', datasets: ['okvqa'], files: ['annotations.json'], read: outputs });
  const report = await buildShards({ adapters: [adapter], datasets: ['okvqa'], rawDir, ...dirs, sizes: { batchRows: 50, partBytes: 8_000 }, imageWorkers: 1 });
  assert.equal(report.results[0].status, 'built', report.results[0].message);
});

function flipByte(file: string, at: number): () => void {
  const original = readFileSync(file);
  const tampered = Buffer.from(original);
  tampered[at] ^= 0x01;
  writeFileSync(file, tampered);
  return () => writeFileSync(file, original);
}

test('an untouched build verifies', async () => {
  const report = await verifyShards(dirs);
  assert.deepEqual(report.problems, []);
  assert.ok(report.shards >= 3 && report.mediaParts === 1, JSON.stringify(report));
});

test('one flipped byte in any shard or media part is reported with the file name', async () => {
  const manifest = readDatasetManifest(dirs.manifestsDir, 'okvqa')!;
  const files = [
    ...Object.values(manifest.splits).flatMap((s) => s.shards.map((p) => path.join(dirs.shardsDir, p.path))),
    path.join(dirs.shardsDir, 'media/part-00000.arrow'),
  ];
  for (const [n, file] of files.entries()) {
    const size = readFileSync(file).length;
    const restore = flipByte(file, (n * 7919) % size);
    try {
      const { problems } = await verifyShards(dirs);
      assert.equal(problems.length, 1, `${file}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0].file, file);
      assert.match(problems[0].problem, /^sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}$/);
    } finally {
      restore();
    }
  }
});

test('npm run verify exits 1 naming a tampered shard, 0 when all match', () => {
  const manifest = readDatasetManifest(dirs.manifestsDir, 'okvqa')!;
  const file = path.join(dirs.shardsDir, manifest.splits.val.shards[0].path);
  const cli = path.join(import.meta.dirname, '../../pipelines/cli/verify.ts');
  const run = () => spawnSync(process.execPath, ['--import', 'tsx', cli, '--shards-dir', dirs.shardsDir, '--manifests-dir', dirs.manifestsDir], { encoding: 'utf8' });
  const ok = run();
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^verify: ok \(1 dataset\(s\), \d+ shard\(s\), 1 media part\(s\)/m);
  const restore = flipByte(file, 100);
  try {
    const bad = run();
    assert.equal(bad.status, 1);
    assert.ok(bad.stdout.includes(`MISMATCH ${file}: sha256`), bad.stdout);
  } finally {
    restore();
  }
});
