import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CATALOG } from '../../pipelines/catalog.ts';
import { selectSources } from '../../pipelines/fetch/select-sources.ts';
import type { SourceSpec } from '../../pipelines/sources/types.ts';
import { fakeSpec } from './helpers/fake-source.ts';

const specs = (entries: Array<[string, string[]?]>) => new Map<string, SourceSpec>(entries.map(([s, uses]) => [s, fakeSpec(s, [], uses ? { uses } : {})]));
const none = { datasets: [], heldIn: false, heldOut: false };

test('no choice: every source with an adapter, used sources first', () => {
  const s = specs([['vqav2', ['coco']], ['coco'], ['textcaps']]);
  assert.deepEqual(selectSources(none, CATALOG, s), { sources: ['coco', 'textcaps', 'vqav2'], withoutAdapter: [] });
});

test('a dataset brings its source and what that source uses', () => {
  const s = specs([['vqav2', ['coco']], ['coco'], ['textcaps']]);
  assert.deepEqual(selectSources({ ...none, datasets: ['vqav2-qg'] }, CATALOG, s).sources, ['coco', 'vqav2']);
});

test('--held-out picks held-out datasets that have adapters and lists the rest', () => {
  const s = specs([['coco'], ['gqa'], ['vizwiz']]);
  const picked = selectSources({ ...none, heldOut: true }, CATALOG, s);
  assert.deepEqual(picked.sources, ['gqa', 'vizwiz']);
  assert.ok(picked.withoutAdapter.includes('nocaps') && !picked.withoutAdapter.includes('gqa'));
  assert.ok(!picked.withoutAdapter.includes('coco-caption'));
});

test('unknown datasets, datasets without adapters, missing used sources and cycles are errors that say so', () => {
  assert.throws(() => selectSources({ ...none, datasets: ['vqa3'] }, CATALOG, specs([])), /unknown dataset\(s\): vqa3; known: coco-caption/);
  assert.throws(() => selectSources({ ...none, datasets: ['gqa'] }, CATALOG, specs([])), /"gqa" comes from source "gqa", which has no adapter/);
  assert.throws(() => selectSources({ ...none, datasets: ['vqav2'] }, CATALOG, specs([['vqav2', ['coco']]])), /"vqav2" uses "coco", which has no adapter/);
  assert.throws(() => selectSources(none, CATALOG, specs([['a', ['b']], ['b', ['a']]])), /cycle: a -> b -> a/);
});

test('whatever the use graph, every selected source comes after the sources it uses, once', () => {
  const names = ['s0', 's1', 's2', 's3', 's4', 's5'];
  // Uses only point to lower-numbered sources, so the graph has no cycle.
  const graph = fc.tuple(...names.map((_, i) => fc.subarray(names.slice(0, i))));
  fc.assert(fc.property(graph, (uses) => {
    const s = specs(names.map((n, i) => [n, uses[i]]));
    const { sources } = selectSources(none, CATALOG, s);
    assert.equal(new Set(sources).size, sources.length);
    assert.deepEqual([...sources].sort(), names);
    sources.forEach((source, at) => {
      for (const used of s.get(source)!.uses ?? []) assert.ok(sources.indexOf(used) < at, `${used} before ${source}`);
    });
  }));
});
