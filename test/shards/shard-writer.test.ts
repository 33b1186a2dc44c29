import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { ShardWriter } from '../../pipelines/shards/shard-writer.ts';
import { readShards, ShardReader } from '../../pipelines/shards/shard-reader.ts';
import { simpleRecord } from './arbitrary-record.ts';

const root = mkdtempSync(path.join(tmpdir(), 'shard-writer-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, String(n++));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('parts roll by size, batches are bounded, and every record reads back in order', async () => {
  const shardsDir = freshDir();
  const writer = new ShardWriter({ shardsDir, dataset: 'vqav2', split: 'train', batchRows: 100, partBytes: 60_000 });
  const records = Array.from({ length: 2_500 }, (_, i) => simpleRecord(i));
  for (const r of records) await writer.append(r);
  const shards = await writer.finish();

  assert.ok(shards.length > 2, `expected several parts, got ${shards.length}`);
  assert.deepEqual(shards.map((s) => s.path), shards.map((_, i) => `vqav2/train/part-${String(i).padStart(5, '0')}.arrow`));
  assert.equal(shards.reduce((sum, s) => sum + s.records, 0), records.length);
  for (const s of shards) {
    const bytes = readFileSync(path.join(shardsDir, s.path));
    assert.equal(s.bytes, bytes.length, `${s.path} size`);
    assert.equal(s.sha256, createHash('sha256').update(bytes).digest('hex'), `${s.path} sha256`);
    assert.ok(s.batchRows.every((rows) => rows <= 100));
    assert.equal(s.batchRows.reduce((a, b) => a + b, 0), s.records);
  }
  assert.deepEqual(readdirSync(path.join(shardsDir, 'vqav2/train')).filter((f) => f.endsWith('.tmp')), []);
  assert.deepEqual(await collect(readShards(shardsDir, shards)), records);
});

test('any batch of any part is read by index, alone', async () => {
  const shardsDir = freshDir();
  const writer = new ShardWriter({ shardsDir, dataset: 'gqa', split: 'testdev', batchRows: 37, partBytes: 1 << 30 });
  const records = Array.from({ length: 1_000 }, (_, i) => simpleRecord(i, 'gqa', 'testdev'));
  for (const r of records) await writer.append(r);
  const [shard] = await writer.finish();
  const reader = await ShardReader.open(path.join(shardsDir, shard.path));
  try {
    assert.equal(reader.numBatches, Math.ceil(1000 / 37));
    await fc.assert(fc.asyncProperty(fc.nat({ max: reader.numBatches - 1 }), async (b) => {
      assert.deepEqual(await reader.readBatch(b), records.slice(b * 37, (b + 1) * 37));
    }), { numRuns: 30 });
    const concurrent = await Promise.all([5, 1, 20, 5].map((b) => reader.readBatch(b)));
    assert.deepEqual(concurrent[2], records.slice(20 * 37, 21 * 37));
    assert.deepEqual(await reader.readRecord(3, 4), records[3 * 37 + 4]);
    await assert.rejects(reader.readBatch(reader.numBatches), /out of range/);
  } finally {
    await reader.close();
  }
});

test('a truncated part is refused with its file name', async () => {
  const shardsDir = freshDir();
  const writer = new ShardWriter({ shardsDir, dataset: 'vqav2', split: 'val' });
  for (let i = 0; i < 10; i++) await writer.append(simpleRecord(i, 'vqav2', 'val'));
  const [shard] = await writer.finish();
  const file = path.join(shardsDir, shard.path);
  truncateSync(file, shard.bytes - 20);
  await assert.rejects(ShardReader.open(file), (err: Error) => err.message.includes(file) && /not a complete Arrow IPC file/.test(err.message));
});

test('an empty split writes no part', async () => {
  const writer = new ShardWriter({ shardsDir: freshDir(), dataset: 'vqav2', split: 'train' });
  assert.deepEqual(await writer.finish(), []);
});
