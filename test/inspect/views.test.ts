import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { exampleView } from '../../pipelines/inspect/example-view.ts';
import { mixtureView } from '../../pipelines/inspect/mixture-view.ts';
import type { InspectContext } from '../../pipelines/shards/inspect/inspect-view.ts';

const context = (values: InspectContext['values'], manifestsDir = 'manifests'): InspectContext & { printed: string[] } => {
  const printed: string[] = [];
  return { shardsDir: 'shards', manifestsDir, json: false, values, positionals: [], out: (t) => printed.push(t), printed };
};

test('--mixture alone asks the mixture view; --draw or --example with it asks the example view', () => {
  assert.ok(mixtureView.applies(context({ mixture: 'c.json' })));
  assert.ok(!exampleView.applies(context({ mixture: 'c.json' })));
  assert.ok(exampleView.applies(context({ mixture: 'c.json', draw: '3' })));
  assert.ok(!mixtureView.applies(context({ mixture: 'c.json', draw: '3' })));
  assert.ok(exampleView.applies(context({ example: 'vqav2/train/1' })));
});

test('the mixture view prints expected shares for the given steps and batch size, and refuses bad numbers', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inspect-views-'));
  try {
    const config = path.join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ mixture: { policy: 'uniform', adjustments: {}, datasets: ['vqav2', 'okvqa'] } }));
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({
      format: 1, builtAt: '2026-01-01T00:00:00.000Z', media: { parts: 0, images: 0, bytes: 0 },
      datasets: [
        { dataset: 'vqav2', category: 'image-qa', heldOut: false, records: { train: 40 }, trainingRecords: 40, quarantined: 0, bytes: 0, samplingProbability: 0.5 },
        { dataset: 'okvqa', category: 'knowledge-qa', heldOut: false, records: { train: 10 }, trainingRecords: 10, quarantined: 0, bytes: 0, samplingProbability: 0.5 },
      ],
    }));
    const ctx = context({ mixture: config, steps: '10', 'batch-size': '4' }, dir);
    await mixtureView.run(ctx);
    assert.match(ctx.printed.join('\n'), /10 steps × batch 4 = 40 draws/);
    assert.match(ctx.printed.join('\n'), /\| okvqa \| 10 \| 50\.00% \| 20 \| 2\.000 \|/);
    await assert.rejects(mixtureView.run(context({ mixture: config, steps: '0' }, dir)), /--steps must be a positive whole number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
