import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readAllManifests } from '../../pipelines/shards/manifest.ts';

test('readAllManifests reads dataset manifests only: the index and the data lock beside them are not parsed as one', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'manifests-'));
  try {
    writeFileSync(path.join(dir, 'vqav2.json'), JSON.stringify({ dataset: 'vqav2', splits: {} }));
    writeFileSync(path.join(dir, 'index.json'), '{ not json');
    writeFileSync(path.join(dir, 'lock.json'), '{ not json');
    assert.deepEqual(readAllManifests(dir).map((m) => m.dataset), ['vqav2']);
    writeFileSync(path.join(dir, 'okvqa.json'), '{ not json');
    assert.throws(() => readAllManifests(dir), /okvqa\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
