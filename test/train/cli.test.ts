import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readMetrics } from '../../trainer/train/metrics.ts';
import { buildTrainFixture, type TrainFixture } from './fixture.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'train-cli-'));
let fx: TrainFixture;
before(async () => {
  fx = await buildTrainFixture(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'trainer', 'cli', 'train.ts'), ...args], { cwd: REPO, encoding: 'utf8' });

test('ablation switches: --no-instruction-aware and --mixture-policy name the run and change its config', () => {
  const runs = path.join(root, 'runs');
  const result = cli(['--config', fx.configFile, '--runs-dir', runs, '--no-instruction-aware', '--mixture-policy', 'proportional', '--steps', '2']);
  assert.equal(result.status, 0, result.stderr);
  const runDir = path.join(runs, 'tiny-agnostic-proportional');
  const config = JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  assert.equal(config.model.qformer.instructionAware, false);
  assert.equal(config.mixture.policy, 'proportional');
  assert.deepEqual(readMetrics(path.join(runDir, 'metrics.jsonl')).filter((r) => r.kind === 'train').map((r) => r.step), [1, 2]);
  assert.match(result.stdout, /backend: cpu/);
  assert.match(result.stdout, /instruction-aware false/);
  assert.ok(existsSync(path.join(runDir, 'report.html')));
});

test('bad usage exits with status 2 and the usage text', () => {
  const result = cli(['--mixture-policy', 'nonsense']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--mixture-policy must be one of/);
  assert.match(result.stderr, /Usage: npm run train/);
});
