import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CATALOG, HELD_IN_IDS, HELD_OUT_IDS } from '../../pipelines/catalog.ts';
import { selectDatasets } from '../../pipelines/shards/build/select-datasets.ts';
import { parseByteSize } from '../../pipelines/shards/byte-size.ts';
import { sqrtProbabilities } from '../../pipelines/shards/sampling-weights.ts';
import { fakeAdapter } from './fake-source.ts';

test('sizes parse with binary units', () => {
  assert.equal(parseByteSize('64MB'), 64 * 1024 * 1024);
  assert.equal(parseByteSize('512k'), 512 * 1024);
  assert.equal(parseByteSize('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize('1000'), 1000);
  assert.throws(() => parseByteSize('lots'), /"lots" is not a size/);
  assert.throws(() => parseByteSize('5 parsecs'), /is not a size/);
});

test('sqrt probabilities sum to one and keep the order of sizes', () => {
  fc.assert(fc.property(fc.array(fc.nat({ max: 1e7 }), { minLength: 1, maxLength: 13 }), (sizes) => {
    const p = [...sqrtProbabilities(new Map(sizes.map((n, i) => [`d${i}`, n]))).values()];
    if (sizes.some((n) => n > 0)) assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    for (let i = 0; i < sizes.length; i++) for (let j = 0; j < sizes.length; j++) if (sizes[i] < sizes[j]) assert.ok(p[i] < p[j]);
  }));
});

const adapters = [
  fakeAdapter({ source: 'a', datasets: ['vqav2', 'vqav2-qg'], files: [], read: async function* () {} }),
  fakeAdapter({ source: 'b', datasets: ['gqa'], files: [], read: async function* () {} }),
];

test('dataset selection: default, groups, names', () => {
  assert.deepEqual(selectDatasets({ datasets: [], heldIn: false, heldOut: false }, CATALOG, adapters), {
    build: ['vqav2', 'vqav2-qg', 'gqa'], withoutAdapter: CATALOG.map((d) => d.id).filter((d) => !['vqav2', 'vqav2-qg', 'gqa'].includes(d)),
  });
  assert.deepEqual(selectDatasets({ datasets: [], heldIn: false, heldOut: true }, CATALOG, adapters).build, ['gqa']);
  assert.deepEqual(selectDatasets({ datasets: [], heldIn: true, heldOut: false }, CATALOG, adapters).withoutAdapter.length, HELD_IN_IDS.length - 2);
  assert.deepEqual(selectDatasets({ datasets: ['vqav2-qg'], heldIn: false, heldOut: false }, CATALOG, adapters).build, ['vqav2-qg']);
  assert.deepEqual(selectDatasets({ datasets: ['vqav2', 'gqa'], heldIn: false, heldOut: true }, CATALOG, adapters).build, ['gqa']);
  assert.throws(() => selectDatasets({ datasets: ['coco'], heldIn: false, heldOut: false }, CATALOG, adapters), /unknown dataset\(s\): coco/);
  assert.throws(() => selectDatasets({ datasets: ['nocaps'], heldIn: false, heldOut: false }, CATALOG, adapters), /no adapter produces nocaps yet/);
  assert.equal(HELD_OUT_IDS.includes('gqa'), true);
});
