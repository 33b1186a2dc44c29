import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArrowPartReader } from '../../pipelines/shards/arrow-part-reader.ts';
import { readAllManifests } from '../../pipelines/shards/manifest.ts';
import { readSplit } from '../../pipelines/shards/shard-reader.ts';
import { verifyShards } from '../../pipelines/shards/verify.ts';
import { photoJpeg } from '../media/fixture-images.ts';
import { writeRaw } from './fake-source.ts';

const PER_SPLIT = 1_500;
const root = mkdtempSync(path.join(tmpdir(), 'build-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));
const rawDir = path.join(root, 'raw');
const dirs = { shardsDir: path.join(root, 'shards'), manifestsDir: path.join(root, 'manifests') };
const fixture = path.join(import.meta.dirname, 'fixtures/slow-build.ts');

function start(): ChildProcess {
  const args = ['--import', 'tsx', fixture, String(PER_SPLIT), '--raw-dir', rawDir, '--shards-dir', dirs.shardsDir, '--manifests-dir', dirs.manifestsDir,
    '--shard-size', '256KB', '--batch-rows', '100'];
  return spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, out);
    else out.push(full);
  }
  return out;
}

/**
 * Kills the build with SIGKILL once `ready` holds (polled), then checks nothing complete-looking is
 * partial. Returns whether the kill landed before the build finished on its own.
 */
async function killWhen(ready: () => boolean, label: string): Promise<boolean> {
  const child = start();
  const done = exited(child);
  let finished = false;
  void done.then(() => { finished = true; });
  while (!finished && !ready()) await sleep(5);
  const killed = child.kill('SIGKILL') && !finished;
  await done;
  const parts = files(dirs.shardsDir).filter((f) => f.endsWith('.arrow'));
  for (const part of parts) {
    const reader = await ArrowPartReader.open(part).catch((err: Error) => assert.fail(`${label}: ${part} looks complete but is not: ${err.message}`));
    await reader.close();
  }
  const report = await verifyShards(dirs);
  assert.deepEqual(report.problems, [], `${label}: manifests that exist must describe complete shards`);
  return killed;
}

test('kill -9 at any point leaves no partial shard or manifest, and a rerun completes', { timeout: 240_000 }, async () => {
  writeRaw(rawDir, 'alpha', 'annotations.json', '{}');
  for (let n = 0; n < 20; n++) writeRaw(rawDir, 'alpha', `img/${n}.jpg`, await photoJpeg(700 + n, 160, 120));
  const arrows = () => files(dirs.shardsDir).filter((f) => f.endsWith('.arrow'));

  assert.ok(await killWhen(() => files(dirs.shardsDir).some((f) => f.endsWith('.tmp')), 'while the first part is written'));
  assert.ok(await killWhen(() => arrows().length >= 6, 'after several parts'));
  // manifests are written within milliseconds of each other: this kill may land after the last one
  await killWhen(() => files(dirs.manifestsDir).some((f) => f.endsWith('vqav2.json')), 'as manifests are written');

  const child = start();
  let output = '';
  child.stdout!.on('data', (c) => { output += c; });
  child.stderr!.on('data', (c) => { output += c; });
  assert.equal(await exited(child), 0, output);
  assert.deepEqual(readAllManifests(dirs.manifestsDir).map((m) => m.dataset).sort(), ['vqav2', 'vqav2-qg']);
  for (const dataset of ['vqav2', 'vqav2-qg']) {
    for (const split of ['train', 'val']) {
      let n = 0;
      for await (const record of readSplit(dirs, dataset, split)) assert.equal(record.id, `${dataset}/${split}/${n++}`);
      assert.equal(n, PER_SPLIT, `${dataset}/${split}`);
    }
  }
  assert.deepEqual((await verifyShards(dirs)).problems, []);
  assert.deepEqual(files(dirs.shardsDir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')), []);
});
