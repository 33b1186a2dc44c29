import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { expectedLedger, observedLedger } from '../../pipelines/mixture/index.ts';
import { writeReport } from '../../trainer/train/report/report.ts';
import { type SectionBuilder, STANDARD_SECTIONS } from '../../trainer/train/report/sections.ts';
import { ticks } from '../../trainer/train/report/svg.ts';

const root = mkdtempSync(path.join(tmpdir(), 'train-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

function fakeRun(name: string, lossScale: number): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'checkpoints', 'step-40'), { recursive: true });
  const lines = [];
  for (let step = 1; step <= 40; step++) lines.push({ kind: 'train', step, loss: lossScale * (3 / Math.sqrt(step)), lr: 1e-4 * Math.min(1, step / 5), gradNorm: 1, examples: step * 8, seconds: 0.5, dataWait: 0.01 });
  for (const step of [20, 40]) lines.push({ kind: 'val', step, losses: { vqav2: 2 / step, 'coco-caption': 3 / step } });
  writeFileSync(path.join(dir, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
  const plan = { seed: 1, policy: 'sqrt' as const, datasets: ['vqav2', 'coco-caption'], sizes: [40, 10], probabilities: [2 / 3, 1 / 3] };
  const state = { version: 1 as const, seed: 1, mixture: 'x', next: 320, cursors: { vqav2: 200, 'coco-caption': 120 } };
  writeFileSync(path.join(dir, 'checkpoints', 'step-40', 'mixture-ledger.json'), JSON.stringify({ observed: observedLedger(plan, state), expected: expectedLedger(plan, 320) }));
  return dir;
}

test('report.html: self-contained sections with inline SVG for loss, lr, validation, mixture and the comparison', async () => {
  const main = fakeRun('demo', 1);
  const other = fakeRun('demo-<agnostic>', 1.3);
  const extra: SectionBuilder = () => ({ id: 'eval', title: 'Held-in exact match', html: '<p>0.71</p>' });
  const file = await writeReport(main, { compareWith: [other], sections: [...STANDARD_SECTIONS, extra] });
  const html = readFileSync(file, 'utf8');
  for (const id of ['summary', 'curves', 'validation', 'mixture', 'comparison', 'eval']) assert.match(html, new RegExp(`<section id="${id}">`));
  assert.ok((html.match(/<svg /g) ?? []).length >= 5);
  assert.match(html, /demo-&lt;agnostic&gt;/, 'names are escaped');
  assert.doesNotMatch(html, /<script|src=|href="http/, 'nothing loads from anywhere');
  assert.match(html, /66\.7%/, 'target share of vqav2');
  assert.match(html, /62\.5%/, 'observed share of vqav2 (200 of 320)');
});

test('ticks are round numbers covering the range', () => {
  assert.deepEqual(ticks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(ticks(3, 97, 4), [25, 50, 75]);
});
