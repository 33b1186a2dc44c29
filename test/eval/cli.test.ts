import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = mkdtempSync(path.join(tmpdir(), 'eval-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function evalCli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'trainer/cli/eval.ts', ...args], { encoding: 'utf8', cwd: path.resolve(import.meta.dirname, '../..') });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('--help states the protocol; bad usage exits 2 naming the problem; a run without checkpoints exits 1 saying what to do', () => {
  const help = evalCli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: npm run eval/);
  assert.match(help.stdout, /8-30 new tokens/);
  assert.match(help.stdout, /vsr\s+\(true\/yes vs false\/no\)/);

  const heldIn = evalCli('--datasets', 'gqa,coco-caption');
  assert.equal(heldIn.status, 2);
  assert.match(heldIn.stderr, /--datasets: not held-out dataset\(s\): coco-caption/);

  const noRun = evalCli('--run', path.join(root, 'runs', 'nothing'));
  assert.equal(noRun.status, 1);
  assert.match(noRun.stderr, /no checkpoint in .*checkpoints; train first \(npm run train -- --name nothing\)/);
});
