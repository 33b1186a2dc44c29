import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listCheckpoints, readCheckpoint } from '../../trainer/train/checkpoint.ts';
import { readMetrics, type TrainRecord, type ValidationRecord } from '../../trainer/train/metrics.ts';
import { train } from '../../trainer/train/train.ts';
import { buildTrainFixture, type TrainFixture } from './fixture.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(REPO, 'trainer', 'cli', 'train.ts');
const root = mkdtempSync(path.join(tmpdir(), 'train-resume-'));
let fx: TrainFixture;

before(async () => {
  fx = await buildTrainFixture(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

function spawnCli(args: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output }))) };
}

async function waitFor(condition: () => boolean, what: string, exited: () => boolean): Promise<void> {
  while (!condition()) {
    if (exited()) throw new Error(`the run ended before ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const losses = (runDir: string) => readMetrics(path.join(runDir, 'metrics.jsonl')).filter((r): r is TrainRecord => r.kind === 'train').map((r) => [r.step, r.loss]);
const validation = (runDir: string) => readMetrics(path.join(runDir, 'metrics.jsonl')).filter((r): r is ValidationRecord => r.kind === 'val').map((r) => [r.step, r.losses]);

test('kill -9 at a random point after a checkpoint, resume: the loss sequence is bit-identical to an uninterrupted run (cpu)', async (t) => {
  const straight = path.join(root, 'runs', 'straight');
  await train({ config: fx.config, runDir: straight, resume: false, force: false, log: () => undefined, progressEvery: 1000 });

  const killAfter = 2 * (1 + Math.floor(Math.random() * 2)); // checkpoint 2 or 4 of 6 steps
  const delay = Math.floor(Math.random() * 400);
  const interrupted = path.join(root, 'runs', 'interrupted');
  const first = spawnCli(['--config', fx.configFile, '--runs-dir', path.join(root, 'runs'), '--name', 'interrupted']);
  let exited = false;
  void first.exit.then(() => (exited = true));
  await waitFor(() => existsSync(path.join(interrupted, 'checkpoints', `step-${killAfter}`)), `checkpoint step-${killAfter}`, () => exited);
  await new Promise((r) => setTimeout(r, delay));
  first.child.kill('SIGKILL');
  const killed = await first.exit;
  const survived = listCheckpoints(path.join(interrupted, 'checkpoints'));
  t.diagnostic(`killed ${delay} ms after checkpoint ${killAfter} (signal ${killed.signal}); checkpoints left: ${survived.map((c) => c.step).join(', ')}; ${losses(interrupted).length} steps logged`);
  for (const c of survived) readCheckpoint(c.dir); // every folder named step-N is complete and verifies

  const resumed = spawnCli(['--resume', interrupted]);
  const result = await resumed.exit;
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /resuming from .*step-\d+ \(step \d+\)/);
  assert.match(result.output, /backend: cpu/);
  assert.deepEqual(losses(interrupted), losses(straight));
  assert.deepEqual(validation(interrupted), validation(straight));
  assert.equal(losses(straight).length, 6);
});
