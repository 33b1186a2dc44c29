import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { writeZip } from '../../pipelines/sample/zip-writer.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'stream-member-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const big = Buffer.from(JSON.stringify({ annotations: Array.from({ length: 5000 }, (_, i) => ({ question_id: i })) }));

async function writeTar(file: string): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: 'a/big.json' }, big);
  pack.entry({ name: 'a/empty.txt' }, Buffer.alloc(0));
  pack.finalize();
  await pipeline(pack, createWriteStream(file));
}

test('streamMember gives the same bytes as readMember for zip and tar entries', async () => {
  await writeZip(path.join(dir, 'x.zip'), [{ name: 'a/big.json', data: big }, { name: 'a/empty.txt', data: Buffer.alloc(0) }]);
  await writeTar(path.join(dir, 'x.tar'));
  const raw = new RawAccess(() => dir);
  for (const archive of ['x.zip', 'x.tar']) {
    for (const member of ['a/big.json', 'a/empty.txt']) {
      const streamed = await buffer(await raw.streamMember('s', archive, member));
      assert.ok(streamed.equals(await raw.readMember('s', archive, member)), `${archive}:${member}`);
    }
    await assert.rejects(raw.streamMember('s', archive, 'a/none.json'), /has no entry "a\/none\.json"/);
    await assert.rejects(raw.streamMember('s', archive, '../x.json'), /escapes/);
  }
  await raw.close();
});
