import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { LOCK_COMPONENTS, type LockComponents } from '../../pipelines/lock/components.ts';
import { compareDataLock, computeDataLock, readDataLock, writeDataLock } from '../../pipelines/lock/data-lock.ts';
import { DEFAULT_TEMPLATE_DIR } from '../../pipelines/format/index.ts';
import { readDatasetManifest, writeDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { buildFixture, type Fixture } from '../export/fixture.ts';

const hex = fc.stringMatching(/^[0-9a-f]{8}$/);
const entries = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hex, { maxKeys: 6 });
const components: fc.Arbitrary<LockComponents> = fc.record(Object.fromEntries(LOCK_COMPONENTS.map((c) => [c, entries])) as Record<keyof LockComponents, typeof entries>);

type Mutation = { component: keyof LockComponents; kind: 'add' | 'remove' | 'change'; pick: number; value: string; name: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  component: fc.constantFrom(...LOCK_COMPONENTS), kind: fc.constantFrom('add', 'remove', 'change'), pick: fc.nat(), value: hex,
  name: fc.string({ minLength: 1, maxLength: 12 }),
});

/** Applies a mutation; returns the entry it touched, or null when it could not apply (nothing to remove or change). */
function mutate(c: LockComponents, m: Mutation): { next: LockComponents; name: string } | null {
  const target = Object.entries(c[m.component]);
  // Entries are rebuilt with fromEntries, so a name like __proto__ stays an own key.
  const withEntries = (list: [string, string][]) => ({ next: { ...c, [m.component]: Object.fromEntries(list) }, name: '' });
  if (m.kind === 'add') {
    if (target.some(([name]) => name === m.name)) return null;
    return { ...withEntries([...target, [m.name, m.value]]), name: m.name };
  }
  if (target.length === 0) return null;
  const [name, value] = target.sort(([a], [b]) => (a < b ? -1 : 1))[m.pick % target.length];
  if (m.kind === 'remove') return { ...withEntries(target.filter(([n]) => n !== name)), name };
  if (value === m.value) return null;
  return { ...withEntries(target.map(([n, v]) => [n, n === name ? m.value : v])), name };
}

describe('data lock', () => {
  it('changes exactly when a component entry changes, and names it', () => {
    fc.assert(fc.property(components, mutation, (c, m) => {
      const before = computeDataLock(c);
      assert.equal(computeDataLock(structuredClone(c)).hash, before.hash, 'same inputs, same hash');
      const applied = mutate(c, m);
      if (!applied) return;
      const after = computeDataLock(applied.next);
      assert.notEqual(after.hash, before.hash);
      for (const other of LOCK_COMPONENTS) {
        assert.equal(after.componentHashes[other] === before.componentHashes[other], other !== m.component, other);
      }
      const changes = compareDataLock(before, after);
      assert.equal(changes.length, 1);
      assert.deepEqual({ component: changes[0].component, name: changes[0].name, change: changes[0].change },
        { component: m.component, name: applied.name, change: m.kind === 'add' ? 'added' : m.kind === 'remove' ? 'removed' : 'changed' });
    }), { numRuns: 300 });
  });

  it('does not depend on the order entries were gathered in', () => {
    fc.assert(fc.property(components, (c) => {
      const reversed = Object.fromEntries(LOCK_COMPONENTS.map((k) => [k, Object.fromEntries(Object.entries(c[k]).reverse())])) as LockComponents;
      assert.equal(computeDataLock(reversed).hash, computeDataLock(c).hash);
      assert.deepEqual(compareDataLock(computeDataLock(c), computeDataLock(reversed)), []);
    }));
  });
});

describe('manifests/lock.json', () => {
  let fixture: Fixture;
  let templatesDir: string;
  let config: string;
  const write = () => writeDataLock({ manifestsDir: fixture.manifestsDir, shardsDir: fixture.shardsDir, templatesDir, mixtureConfig: config });
  const lockBytes = () => readFileSync(path.join(fixture.manifestsDir, 'lock.json'));

  before(async () => {
    fixture = await buildFixture();
    templatesDir = path.join(fixture.root, 'templates');
    cpSync(DEFAULT_TEMPLATE_DIR, templatesDir, { recursive: true });
    config = path.join(fixture.root, 'config.json');
    writeFileSync(config, JSON.stringify({ mixture: { seed: 1, datasets: ['vqav2', 'aokvqa'] } }));
  });
  after(() => fixture.cleanup());

  it('is byte-identical when nothing changed, and names each kind of change', async () => {
    const first = await write();
    const bytes = lockBytes();
    assert.deepEqual(readDataLock(fixture.manifestsDir), first);
    await write();
    assert.deepEqual(lockBytes(), bytes, 'rewriting with the same inputs gives the same file');
    assert.ok(Object.keys(first.components.shards).length > 4);
    assert.ok(Object.keys(first.components.media).length > 0);
    assert.ok(Object.keys(first.components.templates).includes('train/vqa.hbs.json'));
    assert.equal(first.components.adapters.vqav2, '1');

    const step = async (edit: () => unknown, expected: { component: string; name: string }[]) => {
      const before = readDataLock(fixture.manifestsDir)!;
      await edit();
      const after = await write();
      assert.notEqual(after.hash, before.hash, JSON.stringify(expected));
      assert.deepEqual(compareDataLock(before, after).map((c) => ({ component: c.component, name: c.name })), expected);
    };
    const vqa = path.join(templatesDir, 'train', 'vqa.hbs.json');
    await step(() => writeFileSync(vqa, `${readFileSync(vqa, 'utf8')}\n`), [{ component: 'templates', name: 'train/vqa.hbs.json' }]);
    await step(() => writeFileSync(config, JSON.stringify({ mixture: { seed: 2, datasets: ['vqav2', 'aokvqa'] } })), [{ component: 'mixture', name: 'config' }]);
    const manifest = readDatasetManifest(fixture.manifestsDir, 'aokvqa')!;
    await step(() => writeDatasetManifest(fixture.manifestsDir, { ...manifest, adapterVersion: '2' }), [{ component: 'adapters', name: 'aokvqa' }]);
    const shard = manifest.splits.train.shards[0];
    const rebuilt = { ...manifest, adapterVersion: '2', splits: { train: { ...manifest.splits.train, shards: [{ ...shard, sha256: 'f'.repeat(64) }, ...manifest.splits.train.shards.slice(1)] } } };
    await step(() => writeDatasetManifest(fixture.manifestsDir, rebuilt), [{ component: 'shards', name: shard.path }]);
    const input = manifest.rawInputs[0];
    await step(() => writeDatasetManifest(fixture.manifestsDir, { ...rebuilt, rawInputs: [{ ...input, sha256: 'e'.repeat(64) }] }), [{ component: 'raw', name: `${input.source}/${input.path}` }]);
    // Formatting and notes in the config are not data.
    const before = readDataLock(fixture.manifestsDir)!;
    writeFileSync(config, JSON.stringify({ mixture: { datasets: ['vqav2', 'aokvqa'], seed: 2, notes: 'reordered' } }, null, 4));
    assert.equal((await write()).hash, before.hash);
  });
});

describe('npm run lock', () => {
  it('writes the lock, reports changes, and --check fails on drift', async () => {
    const { runLockCli } = await import('../../pipelines/cli/lock.ts');
    const fixture = await buildFixture();
    const lines: string[] = [];
    const run = (...extra: string[]) => runLockCli(['--manifests', fixture.manifestsDir, '--shards', fixture.shardsDir, ...extra], (l) => lines.push(l));
    try {
      assert.equal(await run('--check'), 1);
      assert.match(lines.pop()!, /no data lock/);
      assert.equal(await run(), 0);
      assert.match(lines.join('\n'), /data lock [0-9a-f]{64} written/);
      assert.equal(await run('--check'), 0);
      const manifest = readDatasetManifest(fixture.manifestsDir, 'vqav2')!;
      await writeDatasetManifest(fixture.manifestsDir, { ...manifest, adapterVersion: '9' });
      assert.equal(await run('--check'), 1);
      assert.match(lines.pop()!, /differs from the lock [0-9a-f]{64}:\nadapters changed: vqav2 \(1 -> 9\)/);
    } finally {
      fixture.cleanup();
    }
  });
});
