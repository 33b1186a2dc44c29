/** LAVIS, LLaVA and webdataset exports of whole splits, read back as plain JSON and with the system tar. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExport } from '../../pipelines/export/run-export.ts';
import { renderedExamples } from './expected.ts';
import { buildFixture, type Fixture } from './fixture.ts';

const HELD_IN = ['vqav2', 'aokvqa', 'llava-conversation'];

/** Every example of the held-in splits, in export order. */
const expectedExamples = (fixture: Fixture, seed: number) => renderedExamples([...HELD_IN].sort().flatMap((d) => fixture.records.get(`${d}/train`)!), seed);

describe('example exports (lavis, llava, webdataset)', () => {
  let fixture: Fixture;
  let dir: string;
  const exportTo = (format: 'lavis' | 'llava' | 'webdataset', extra = {}) => runExport({
    format, shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: path.join(dir, format), datasets: HELD_IN, seed: 3, ...extra,
  });

  before(async () => {
    fixture = await buildFixture();
    dir = mkdtempSync(path.join(tmpdir(), 'export-examples-'));
  });
  after(() => {
    fixture.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lavis: text_input/text_output per example, image paths relative to the folder', async () => {
    await exportTo('lavis');
    const entries = JSON.parse(readFileSync(path.join(dir, 'lavis', 'annotations.json'), 'utf8'));
    const expected = expectedExamples(fixture, 3);
    assert.equal(entries.length, expected.length);
    entries.forEach((e: Record<string, unknown>, i: number) => {
      const { record, example, exampleIndex } = expected[i];
      assert.equal(e.text_input, example.instruction);
      assert.equal(e.text_output, example.target);
      assert.equal(e.template_id, example.templateId);
      assert.equal(e.record_id, record.id);
      assert.equal(e.example_index, exampleIndex);
      assert.equal(e.source_sha256, fixture.rawSha256.get(`${record.dataset}/train`));
      assert.deepEqual(readFileSync(path.join(dir, 'lavis', e.image as string)), fixture.images.get(record.images[0]));
    });
    assert.ok(entries.some((e: { image: string }) => e.image.endsWith('.png')), 'PNG images keep their extension');
  });

  it('llava: conversations with <image> in the first human turn', async () => {
    await exportTo('llava');
    const entries = JSON.parse(readFileSync(path.join(dir, 'llava', 'llava.json'), 'utf8'));
    const expected = expectedExamples(fixture, 3);
    assert.equal(entries.length, expected.length);
    entries.forEach((e: { id: string; image: string; conversations: { from: string; value: string }[] }, i: number) => {
      const { record, example, exampleIndex, exampleCount } = expected[i];
      assert.equal(e.id, exampleCount > 1 ? `${record.id}#${exampleIndex}` : record.id);
      assert.deepEqual(e.conversations, [{ from: 'human', value: `<image>\n${example.instruction}` }, { from: 'gpt', value: example.target }]);
      assert.ok(existsSync(path.join(dir, 'llava', e.image)));
    });
    assert.equal(new Set(entries.map((e: { id: string }) => e.id)).size, entries.length, 'ids are unique');
    const images = readdirSync(path.join(dir, 'llava', 'images'));
    assert.equal(images.length, new Set(expected.map((x) => x.record.images[0])).size, 'each image written once');
  });

  it('webdataset: bounded tar shards of <key>.jpg + <key>.json, read by the system tar', async () => {
    const maxBytes = 8 * 1024;
    await exportTo('webdataset', { webdataset: { maxBytes, maxCount: 100 } });
    const out = path.join(dir, 'webdataset');
    const shards = readdirSync(out).filter((f) => f.endsWith('.tar')).sort();
    assert.ok(shards.length > 2, `several shards (${shards.length})`);
    const expected = expectedExamples(fixture, 3);
    let i = 0;
    for (const shard of shards) {
      const file = path.join(out, shard);
      assert.ok(statSync(file).size <= maxBytes, `${shard} is ${statSync(file).size} bytes`);
      const members = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
      for (const member of members.filter((m) => m.endsWith('.json'))) {
        const key = member.slice(0, -'.json'.length);
        assert.equal(key, String(i).padStart(9, '0'));
        const sample = JSON.parse(execFileSync('tar', ['-xOf', file, member], { encoding: 'utf8' }));
        assert.equal(sample.instruction, expected[i].example.instruction);
        assert.equal(sample.target, expected[i].example.target);
        assert.equal(sample.record_id, expected[i].record.id);
        assert.deepEqual(sample.images.map((name: string) => name.split('.')[0]), [key]);
        assert.deepEqual(execFileSync('tar', ['-xOf', file, sample.images[0]]), fixture.images.get(expected[i].record.images[0]));
        i++;
      }
    }
    assert.equal(i, expected.length);
  });

  it('refuses held-out splits, which have no training examples', async () => {
    await assert.rejects(exportTo('lavis', { datasets: ['visdial'] }), /held-out splits have no training examples.*visdial\/val/);
  });
});

describe('export failures', () => {
  it('leave an existing export untouched and no partial folder, with the cause named', async () => {
    const fixture = await buildFixture();
    const out = path.join(fixture.root, 'out');
    try {
      await runExport({ format: 'parquet', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out, datasets: ['vqav2'] });
      const before = readFileSync(path.join(out, 'export.json'));
      rmSync(path.join(fixture.shardsDir, 'media'), { recursive: true });
      await assert.rejects(
        runExport({ format: 'parquet', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out, datasets: ['vqav2'] }),
        /image [0-9a-f]{64} is not in the media store/,
      );
      assert.deepEqual(readFileSync(path.join(out, 'export.json')), before);
      assert.deepEqual(readdirSync(fixture.root).filter((f) => f.endsWith('.tmp')), []);
      await assert.rejects(runExport({ format: 'parquet', shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, outDir: out, datasets: ['coco-caption'] }), /not built: coco-caption/);
    } finally {
      fixture.cleanup();
    }
  });
});
