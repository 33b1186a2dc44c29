import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sha256File } from '../../pipelines/util/sha256-file.ts';

test('sha256File equals hashing the bytes in memory, for empty, small and multi-megabyte files hashed at once', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sha256-file-'));
  try {
    const contents = [Buffer.alloc(0), Buffer.from('abc'), randomBytes((1 << 20) - 1), randomBytes((3 << 20) + 17)];
    const files = contents.map((bytes, i) => {
      const file = path.join(dir, `f${i}`);
      writeFileSync(file, bytes);
      return file;
    });
    const hashes = await Promise.all(files.map(sha256File));
    assert.deepEqual(hashes, contents.map((bytes) => createHash('sha256').update(bytes).digest('hex')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that cannot be read rejects with the read error and its code, and later calls still work', async () => {
  await assert.rejects(sha256File(path.join(tmpdir(), 'no-such-file-for-sha256')), (err: NodeJS.ErrnoException) => err.code === 'ENOENT' && /no-such-file-for-sha256/.test(err.message));
  const dir = mkdtempSync(path.join(tmpdir(), 'sha256-file-'));
  try {
    writeFileSync(path.join(dir, 'x'), 'x');
    assert.equal(await sha256File(path.join(dir, 'x')), createHash('sha256').update('x').digest('hex'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
