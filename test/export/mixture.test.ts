/**
 * A mixture export is the training stream: the same draws, records, templates and example picks,
 * in the same order. Checked against the real training stream (with the stream tests' tokenizers).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExport } from '../../pipelines/export/run-export.ts';
import { loadTemplateLibrary } from '../../pipelines/format/index.ts';
import { loadMixtureConfig } from '../../pipelines/mixture/index.ts';
import { createTrainingStream, type ExampleProvenance } from '../../pipelines/stream/index.ts';
import { bertQFormerTokenizer, charLmTokenizer } from '../stream/tokenizers.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { pl } from './readers.ts';

const EXAMPLES = 40;

describe('mixture export', () => {
  let fixture: Fixture;
  let dir: string;
  let config: string;
  let streamed: ExampleProvenance[];

  before(async () => {
    fixture = await buildFixture();
    dir = mkdtempSync(path.join(tmpdir(), 'export-mixture-'));
    config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ mixture: { policy: 'uniform', seed: 7, datasets: ['vqav2', 'aokvqa', 'llava-conversation'] } }));
    const stream = await createTrainingStream({
      shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, mixture: loadMixtureConfig(config),
      tokenizers: { qformer: bertQFormerTokenizer(), lm: charLmTokenizer() }, templates: loadTemplateLibrary(),
      batchSize: 8, imageSize: 16, imageWorkers: 1, prefetch: 0,
    });
    streamed = [];
    try {
      while (streamed.length < EXAMPLES) streamed.push(...(await stream.next()).provenance);
    } finally {
      await stream.close();
    }
  });
  after(() => {
    fixture.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the training stream\'s examples in draw order (parquet)', async () => {
    const out = path.join(dir, 'parquet');
    await runExport({ format: 'parquet', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out, mixture: { config, examples: EXAMPLES } });
    const rows = pl.readParquet(path.join(out, 'examples.parquet')).drop('image_bytes').toRecords();
    assert.equal(rows.length, EXAMPLES);
    rows.forEach((row, i) => {
      const s = streamed[i];
      assert.deepEqual(
        { n: row.n, dataset: row.dataset, recordIndex: row.recordIndex, recordId: row.recordId, epoch: row.epoch, templateId: row.templateId, exampleIndex: row.exampleIndex, exampleCount: row.exampleCount, images: row.images },
        { n: s.n, dataset: s.dataset, recordIndex: s.record, recordId: s.recordId, epoch: s.epoch, templateId: s.templateId, exampleIndex: s.exampleIndex, exampleCount: s.exampleCount, images: s.images },
        `example ${i}`,
      );
    });
    assert.ok(new Set(rows.map((r) => r.dataset)).size === 3, 'all three datasets drawn');
    assert.ok(rows.some((r) => (r.epoch as number) > 0), 'small datasets run past one epoch');
    const manifest = JSON.parse(readFileSync(path.join(out, 'export.json'), 'utf8'));
    assert.deepEqual({ ...manifest.mixture, plan: undefined }, { config: 'config.json', examples: EXAMPLES, seed: 7, plan: undefined });
    assert.match(manifest.mixture.plan, /^[0-9a-f]{8}$/);
  });

  it('writes the same stream as LLaVA JSON, with the draw index per example', async () => {
    const out = path.join(dir, 'llava');
    await runExport({ format: 'llava', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out, mixture: { config, examples: EXAMPLES } });
    const entries = JSON.parse(readFileSync(path.join(out, 'llava.json'), 'utf8'));
    assert.deepEqual(entries.map((e: { n: number }) => e.n), streamed.slice(0, EXAMPLES).map((s) => s.n));
    assert.deepEqual(entries.map((e: { template_id: string }) => e.template_id), streamed.slice(0, EXAMPLES).map((s) => s.templateId));
  });

  it('refuses --datasets with --mixture, and a held-out dataset in the mixture', async () => {
    const base = { format: 'parquet' as const, shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: path.join(dir, 'x') };
    await assert.rejects(runExport({ ...base, datasets: ['vqav2'], mixture: { config, examples: 3 } }), /leave out --datasets/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mixture: { datasets: ['vqav2', 'visdial'] } }));
    await assert.rejects(runExport({ ...base, mixture: { config: bad, examples: 3 } }), /held out/);
  });
});
