import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectExample, runInspectExampleCli } from '../../pipelines/cli/inspect-example.ts';
import { runExport } from '../../pipelines/export/run-export.ts';
import { writeDataLock } from '../../pipelines/lock/data-lock.ts';
import { traceDraw, traceRecord } from '../../pipelines/provenance/trace.ts';
import { buildFixture, type Fixture } from '../export/fixture.ts';

describe('provenance', () => {
  let fixture: Fixture;
  let dir: string;
  let config: string;
  let rows: Record<string, unknown>[];
  const dirs = () => ({ shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir });

  before(async () => {
    fixture = await buildFixture();
    dir = mkdtempSync(path.join(tmpdir(), 'provenance-'));
    config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ mixture: { policy: 'uniform', seed: 21, datasets: ['vqav2', 'aokvqa', 'llava-conversation'] } }));
    await runExport({ ...dirs(), format: 'lavis', outDir: path.join(dir, 'lavis'), mixture: { config, examples: 30 } });
    rows = JSON.parse(readFileSync(path.join(dir, 'lavis', 'annotations.json'), 'utf8'));
  });
  after(() => {
    fixture.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leads from every exported example back to its record, raw file, hash, template and draw', async () => {
    for (const row of rows) {
      const chain = await traceDraw(dirs(), config, row.n as number);
      const record = fixture.records.get(`${chain.dataset}/${chain.split}`)!.find((r) => r.id === row.record_id)!;
      assert.equal(chain.recordId, row.record_id);
      assert.equal(chain.recordIndex, row.record_index);
      assert.equal(chain.draw!.epoch, row.epoch);
      assert.equal(chain.examples[chain.picked!].templateId, row.template_id);
      assert.equal(chain.examples[chain.picked!].instruction, row.text_input);
      assert.equal(chain.sourceFile, record.sourceFile);
      assert.equal(chain.sourceIndex, record.sourceIndex);
      assert.equal(chain.sourceSha256, fixture.rawSha256.get(`${chain.dataset}/${chain.split}`));
      assert.equal(chain.rawInput!.sha256, chain.sourceSha256);
      assert.equal(chain.rawInput!.path, record.sourceFile);
    }
  });

  it('traces a record id through its shard row, held-in or held-out', async () => {
    const chain = await traceRecord(dirs(), 'aokvqa/train/7', { seed: 21 });
    assert.equal(chain.recordIndex, 7);
    assert.equal(chain.sourceIndex, 7);
    assert.match(chain.shard.path, /^aokvqa\/train\/part-\d{5}\.arrow$/);
    assert.equal(chain.examples.length, 1);
    const video = await traceRecord(dirs(), 'visdial/val/6');
    assert.equal(video.recordIndex, null, 'held-out records have no training index');
    assert.equal(video.images.length, 4);
    assert.match(video.examples[0].templateId, /visdial|dialog/);
    await assert.rejects(traceRecord(dirs(), 'aokvqa/train/99'), /record aokvqa\/train\/99 is not in aokvqa\/train \(9 records/);
    await assert.rejects(traceRecord(dirs(), 'nope'), /not a record id/);
  });

  it('prints the chain for --draw and --example, with the data lock', async () => {
    await writeDataLock({ ...dirs() });
    const text = await runInspectExampleCli(['--draw', String(rows[3].n), '--mixture', config, '--shards', fixture.shardsDir, '--manifests', fixture.manifestsDir]);
    assert.match(text, new RegExp(`^draw 3 of the mixture in .*config.json \\(seed 21, plan [0-9a-f]{8}\\)`));
    assert.match(text, new RegExp(`record +${rows[3].record_id}, split train, training record index ${rows[3].record_index}`));
    assert.match(text, /raw file +annotations_train\.json, record \d+ in it/);
    assert.match(text, new RegExp(`raw sha256 +${rows[3].source_sha256}`));
    assert.match(text, new RegExp(`template +${rows[3].template_id} .*<- this draw`));
    assert.match(text, /data lock +[0-9a-f]{64}/);
    const llava = JSON.parse(await inspectExample({ ...dirs(), example: 'llava-conversation/train/1', json: true }));
    assert.equal(llava.examples.length, 2, 'one example per assistant turn');
    assert.equal(llava.picked, null);
    await assert.rejects(inspectExample({ ...dirs(), draw: 1 }), /--draw needs --mixture/);
  });
});
