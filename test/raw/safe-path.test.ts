import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { resolveInside } from '../../pipelines/raw/safe-path.ts';

const root = path.resolve('raw', 'coco');

test('relative paths stay under the root', () => {
  assert.equal(resolveInside(root, 'train2014/COCO_train2014_000000000009.jpg'), path.join(root, 'train2014/COCO_train2014_000000000009.jpg'));
});

test('escapes are refused', () => {
  for (const bad of ['../x.jpg', 'a/../../x', '/etc/passwd', 'C:\\x', 'a\\..\\..\\b', 'x\0y', '']) {
    assert.throws(() => resolveInside(root, bad), /escapes|absolute|NUL|empty/, bad);
  }
});

test('whatever the input, an accepted path is inside the root', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', '..', '.', '/', '\\', 'c.jpg', ''), { maxLength: 8 }), (parts) => {
    const rel = parts.join('');
    let full: string;
    try {
      full = resolveInside(root, rel);
    } catch {
      return true;
    }
    return full === root || full.startsWith(root + path.sep);
  }));
});
