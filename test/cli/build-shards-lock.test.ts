/**
 * build-shards writes manifests/lock.json after a successful build, with the mixture of --mixture
 * (default: the demo preset), so `npm run lock -- --check` passes right after it and fails once a
 * template changes; a failed build writes no lock. Over the sample mirror's COCO captions, ingested
 * in place into a temp raw folder.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runBuildShardsAndLock } from '../../pipelines/cli/build-shards.ts';
import { runLockCli } from '../../pipelines/cli/lock.ts';
import { runIngestCli } from '../../pipelines/fetch/ingest-cli.ts';
import { DEFAULT_TEMPLATE_DIR } from '../../pipelines/format/index.ts';
import { readDataLock } from '../../pipelines/lock/data-lock.ts';

/** Runs a command with its output collected as text. */
async function run(command: (stdout: PassThrough, stderr: PassThrough) => Promise<number>) {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let out = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (out += c));
  const code = await command(stdout, stderr);
  return { code, out };
}

describe('build-shards writes the data lock', () => {
  let root: string;
  let raw: string;
  const dirs = (name: string) => ({ shards: path.join(root, name, 'shards'), manifests: path.join(root, name, 'manifests') });
  const build = (name: string, ...extra: string[]) => run((stdout, stderr) => runBuildShardsAndLock(
    ['--datasets', 'coco-caption', '--raw-dir', raw, '--shards-dir', dirs(name).shards, '--manifests-dir', dirs(name).manifests, ...extra],
    { stdout, stderr },
  ));
  const check = async (name: string, ...extra: string[]) => {
    const lines: string[] = [];
    const code = await runLockCli(['--check', '--manifests', dirs(name).manifests, '--shards', dirs(name).shards, ...extra], (l) => lines.push(l));
    return { code, out: lines.join('\n') };
  };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'build-lock-'));
    raw = path.join(root, 'raw');
    const ingest = await run((stdout, stderr) => runIngestCli(['--datasets', 'coco-caption', '--raw-dir', raw], { stdout, stderr }));
    assert.equal(ingest.code, 0, ingest.out);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('after a successful build; lock --check passes, then fails once a template changes', async () => {
    const built = await build('a');
    assert.equal(built.code, 0, built.out);
    assert.match(built.out, /build-shards: 1 built[\s\S]*data lock [0-9a-f]{64} written to .*lock\.json \(mixture: trainer\/configs\/demo\.json\)/);
    const lock = readDataLock(dirs('a').manifests)!;
    assert.ok(Object.keys(lock.components.shards).some((p) => p.startsWith('coco-caption/train/')));
    assert.ok(lock.components.mixture.config, 'the demo preset\'s mixture is locked');

    assert.deepEqual(await check('a'), { code: 0, out: `data matches the lock ${lock.hash}` });
    const templates = path.join(root, 'templates');
    cpSync(DEFAULT_TEMPLATE_DIR, templates, { recursive: true });
    const caption = path.join(templates, 'train', 'caption.hbs.json');
    writeFileSync(caption, `${readFileSync(caption, 'utf8')}\n`);
    const drift = await check('a', '--templates', templates);
    assert.equal(drift.code, 1);
    assert.match(drift.out, /differs from the lock [0-9a-f]{64}:\ntemplates changed: train\/caption\.hbs\.json/);

    const again = await build('a');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /1 up to date[\s\S]*written[\s\S]*\nunchanged\n/);
  });

  it('records the mixture of --mixture, checked before anything is built', async () => {
    const config = path.join(root, 'captions.json');
    writeFileSync(config, JSON.stringify({ mixture: { seed: 3, datasets: ['coco-caption'] } }));
    const built = await build('b', '--mixture', config);
    assert.equal(built.code, 0, built.out);
    assert.match(built.out, new RegExp(`\\(mixture: ${config.replace(/[.\\/]/g, '\\$&')}\\)`));
    assert.equal((await check('b', '--mixture', config)).code, 0);
    const other = await check('b');
    assert.equal(other.code, 1);
    assert.match(other.out, /mixture changed: config/);

    const bad = path.join(root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mixture: { policy: 'nope' } }));
    const refused = await build('c', `--mixture=${bad}`);
    assert.equal(refused.code, 2);
    assert.match(refused.out, /mixture\.policy must be one of/);
    assert.equal(existsSync(dirs('c').manifests), false, 'nothing built');
    assert.equal((await build('c', '--mixture')).code, 2);
  });

  it('writes no lock when the build fails, and leaves an existing one as it was', async () => {
    const failed = await build('d', '--datasets', 'vqav2');
    assert.equal(failed.code, 1, failed.out);
    assert.doesNotMatch(failed.out, /data lock/);
    assert.equal(existsSync(path.join(dirs('d').manifests, 'lock.json')), false);

    const lockFile = path.join(dirs('a').manifests, 'lock.json');
    const before = readFileSync(lockFile);
    assert.equal((await build('a', '--datasets', 'vqav2')).code, 1);
    assert.deepEqual(readFileSync(lockFile), before);
  });

  it('replaces a lock of another format instead of failing the build', async () => {
    writeFileSync(path.join(dirs('a').manifests, 'lock.json'), JSON.stringify({ format: 0 }));
    const rebuilt = await build('a');
    assert.equal(rebuilt.code, 0, rebuilt.out);
    assert.match(rebuilt.out, /lock\.json: the previous lock is not readable by this version; replaced without comparing/);
    assert.equal((await check('a')).code, 0);
  });
});
