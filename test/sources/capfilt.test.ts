import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import type { HttpSettings } from '../../pipelines/fetch/http.ts';
import { urlMirrorPath } from '../../pipelines/fetch/mirror-locations.ts';
import { fetchUrlList } from '../../pipelines/fetch/url-list.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { sha256Sums } from '../../pipelines/sample/sha256sums.ts';
import { adapter } from '../../pipelines/sources/capfilt/adapter.ts';
import { urlImagePath } from '../../pipelines/sources/capfilt/caption-entry.ts';
import { makeSample } from '../../pipelines/sources/capfilt/make-sample.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { AdapterOutput } from '../../pipelines/sources/types.ts';

const SAMPLE = sampleDir('capfilt');
const BLIP_FILE = 'ccs_synthetic_filtered_large.json';
const ENTRIES = JSON.parse(readFileSync(path.join(SAMPLE, BLIP_FILE), 'utf8')) as { url: string; caption: string }[];
const temp = mkdtempSync(path.join(tmpdir(), 'capfilt-'));
after(() => rmSync(temp, { recursive: true, force: true }));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const records = (out: AdapterOutput[]) => out.flatMap((o) => ('record' in o ? [o.record] : []));
const reasons = (out: AdapterOutput[]) => out.flatMap((o) => ('quarantine' in o ? [o.quarantine.reason] : []));
const readFrom = (dir: string) => collect(adapter.read(new RawAccess(() => dir)));

/** A raw folder after ingest: the annotation file, and the images fetched from a folder mirror of the sample minus `missing`. */
async function ingested(name: string, entries: unknown[], file = BLIP_FILE, missing: string[] = []): Promise<string> {
  const dir = path.join(temp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), JSON.stringify(entries));
  const mirror = path.join(temp, `${name}-mirror`);
  cpSync(SAMPLE, path.join(mirror, 'capfilt'), { recursive: true });
  for (const url of missing) rmSync(path.join(mirror, 'capfilt', urlMirrorPath(url)));
  await fetchUrlList(adapter.urlList!(new RawAccess(() => dir)), {
    source: 'capfilt', rawRoot: dir, mirror: { kind: 'folder', dir: mirror }, http: {} as HttpSettings, concurrency: 2, maxImageBytes: 1 << 20,
  });
  return dir;
}

const raw = await ingested('sample', ENTRIES);
const sample = await readFrom(raw);

test('one train record per caption entry: 24, nothing quarantined', () => {
  assert.deepEqual(reasons(sample), []);
  assert.equal(records(sample).length, 24);
  assert.ok(records(sample).every((r) => r.dataset === 'web-capfilt' && r.split === 'train'));
});

test('captions are the entries\' own, short and lower-case; images are named by the sha1 of their URL', () => {
  records(sample).forEach((r, i) => {
    assert.deepEqual(r.answers, [ENTRIES[i].caption]);
    assert.match(r.answers[0], /^[a-z ]{10,80}$/);
    assert.match(r.media[0].path, /^images\/[0-9a-f]{40}\.jpg$/);
    assert.equal(r.media[0].path, urlImagePath(ENTRIES[i].url));
    assert.equal(JSON.parse(r.meta!).url, ENTRIES[i].url);
  });
});

test('every image resolves to a decodable JPEG', async () => {
  const access = new RawAccess(() => raw);
  for (const r of records(sample)) {
    assert.equal((await sharp(await access.readFile(r.media[0].source, r.media[0].path)).metadata()).format, 'jpeg');
  }
});

test('make-sample is deterministic', async () => {
  const dir = path.join(temp, 'again');
  await makeSample(dir, { scale: 1, seed: 1 });
  assert.equal(sha256Sums(dir), readFileSync(path.join(SAMPLE, 'SHA256SUMS'), 'utf8'));
});

test('LAVIS\'s annotation.json ({image, caption}) is detected from its entries and read', async () => {
  const lavis = ENTRIES.map((e) => ({ image: urlImagePath(e.url), caption: e.caption }));
  const dir = path.join(temp, 'lavis');
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(raw, 'images'), path.join(dir, 'images'), { recursive: true });
  writeFileSync(path.join(dir, 'annotation.json'), JSON.stringify(lavis));
  assert.deepEqual(await collect(adapter.urlList!(new RawAccess(() => dir))), []);
  const out = await readFrom(dir);
  assert.equal(records(out).length, 24);
  assert.ok(records(out).every((r) => r.sourceFile === 'annotation.json' && r.meta === null));

  writeFileSync(path.join(dir, 'annotation.json'), JSON.stringify([
    ...lavis.slice(0, 2), { image: '../../etc/passwd', caption: 'x' }, { image: 'images/absent.jpg', caption: 'x' },
  ]));
  assert.deepEqual(reasons(await readFrom(dir)), ['unsafe-path', 'unknown-image']);
});

test('bad entries and unfetched images are quarantined with their reason', async () => {
  const bad: unknown[] = structuredClone(ENTRIES);
  bad[0] = { caption: 'no url at all' };
  bad[1] = { url: ENTRIES[1].url, caption: 7 };
  bad[2] = { url: 'file:///etc/passwd', caption: 'a local file' };
  bad[3] = 'not an object';
  const out = await readFrom(await ingested('bad', bad, BLIP_FILE, [ENTRIES[4].url]));
  assert.deepEqual(reasons(out), ['missing-field', 'bad-type', 'bad-value', 'bad-type', 'image-not-fetched']);
  assert.equal(records(out).length, 19);
});

test('a missing annotation file is an error that says to run ingest', async () => {
  const empty = path.join(temp, 'empty');
  mkdirSync(empty, { recursive: true });
  await assert.rejects(readFrom(empty), /neither ccs_synthetic_filtered_large.json nor annotation.json.*run ingest/);
});
