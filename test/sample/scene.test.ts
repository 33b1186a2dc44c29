import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { COLORS, describeScene, randomScene, renderScene, shapeCells } from '../../pipelines/sample/scene.ts';
import { rng } from '../../pipelines/util/random.ts';

test('shapes sit on distinct interior grid cells', () => {
  fc.assert(fc.property(fc.integer(), (seed) => {
    const scene = randomScene(rng(seed));
    const cells = shapeCells(scene, 7);
    assert.equal(cells.length, scene.count);
    assert.equal(new Set(cells.map(([c, r]) => `${c},${r}`)).size, cells.length);
    for (const [c, r] of cells) assert.ok(c >= 1 && c <= 5 && r >= 1 && r <= 5);
  }));
});

test('a rendered shape has its colour at its cell centre', async () => {
  const scene = randomScene(rng(7));
  const png = await renderScene(scene, { format: 'png' });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 112);
  for (const [c, r] of shapeCells(scene, 7)) {
    const at: number = ((r * 16 + 8) * info.width + c * 16 + 8) * info.channels;
    assert.deepEqual([data[at], data[at + 1], data[at + 2]], [...COLORS[scene.color]]);
  }
  assert.match(describeScene(scene), new RegExp(`${scene.color} ${scene.shape}`));
});
