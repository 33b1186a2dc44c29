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
import { textWidth } from '../../pipelines/sample/font5x7.ts';
import { sha256Sums } from '../../pipelines/sample/sha256sums.ts';
import { adapter } from '../../pipelines/sources/ocrvqa/adapter.ts';
import { makeSample } from '../../pipelines/sources/ocrvqa/make-sample.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { AdapterOutput } from '../../pipelines/sources/types.ts';

const SAMPLE = sampleDir('ocrvqa');
const DICT = JSON.parse(readFileSync(path.join(SAMPLE, 'dataset.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const temp = mkdtempSync(path.join(tmpdir(), 'ocrvqa-'));
after(() => rmSync(temp, { recursive: true, force: true }));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const records = (out: AdapterOutput[]) => out.flatMap((o) => ('record' in o ? [o.record] : []));
const reasons = (out: AdapterOutput[]) => out.flatMap((o) => ('quarantine' in o ? [o.quarantine.reason] : []));

/** HTTP is never used: every image comes from a folder mirror. */
const NO_HTTP = {} as HttpSettings;

/**
 * A raw folder as ingest leaves it: the annotation dict under `file`, and the covers fetched by
 * ingest's URL-list fetch from a folder mirror holding the sample, minus the `missing` URLs.
 */
async function ingested(name: string, dict: object, file = 'dataset.json', missing: string[] = []): Promise<string> {
  const dir = path.join(temp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), JSON.stringify(dict));
  const mirror = path.join(temp, `${name}-mirror`);
  cpSync(SAMPLE, path.join(mirror, 'ocrvqa'), { recursive: true });
  for (const url of missing) rmSync(path.join(mirror, 'ocrvqa', urlMirrorPath(url)));
  await fetchUrlList(adapter.urlList!(new RawAccess(() => dir)), {
    source: 'ocrvqa', rawRoot: dir, mirror: { kind: 'folder', dir: mirror }, http: NO_HTTP, concurrency: 2, maxImageBytes: 1 << 20,
  });
  return dir;
}
const readFrom = (dir: string) => collect(adapter.read(new RawAccess(() => dir)));

const raw = await ingested('sample', DICT);
const sample = await readFrom(raw);
const split = (name: string) => records(sample).filter((r) => r.split === name);

test('one record per (book, question): 40 train, 20 val, 20 test, nothing quarantined', () => {
  assert.deepEqual(reasons(sample), []);
  assert.deepEqual([split('train').length, split('val').length, split('test').length], [40, 20, 20]);
});

test('the URL list keeps each URL\'s extension and names the file by book id', async () => {
  const list = await collect(adapter.urlList!(new RawAccess(() => raw)));
  assert.equal(list.length, 16);
  for (const { url, path: rel } of list) assert.match(rel, new RegExp(`^images/\\d+\\${path.extname(url)}$`));
  assert.ok(list.some((e) => e.path.endsWith('.png')));
});

test('answers come from the dict, with title, author and genre in meta', () => {
  for (const r of records(sample)) {
    const book = DICT[r.id.split('/')[2].split('-')[0]];
    assert.equal(r.answers[0], (book.answers as string[])[(book.questions as string[]).indexOf(r.question!)]);
    assert.deepEqual(JSON.parse(r.meta!), { title: book.title, authorName: book.authorName, genre: book.genre });
  }
});

/** Width in pixels of the white text in the rows where renderScene prints the first of two lines. */
async function firstLineWidth(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const xs: number[] = [];
  for (let y = 38; y < 52; y++) {
    for (let x = 0; x < info.width; x++) {
      const at = (y * info.width + x) * info.channels;
      if (data[at] > 200 && data[at + 1] > 200 && data[at + 2] > 200) xs.push(x);
    }
  }
  return Math.max(...xs) - Math.min(...xs) + 1;
}

test('every cover decodes in its URL\'s format and prints the title answer on its first line', async () => {
  const access = new RawAccess(() => raw);
  for (const r of records(sample).filter((q) => q.question === 'What is the title of this book?')) {
    const bytes = await access.readFile(r.media[0].source, r.media[0].path);
    assert.equal((await sharp(bytes).metadata()).format, r.media[0].path.endsWith('.png') ? 'png' : 'jpeg');
    const printed = textWidth(r.answers[0].toUpperCase()) * 2;
    assert.ok(Math.abs((await firstLineWidth(bytes)) - printed) <= 2, `${r.id}: "${r.answers[0]}" is printed on the cover`);
  }
});

test('make-sample is deterministic', async () => {
  const dir = path.join(temp, 'again');
  await makeSample(dir, { scale: 1, seed: 1 });
  assert.equal(sha256Sums(dir), readFileSync(path.join(SAMPLE, 'SHA256SUMS'), 'utf8'));
});

test('LAVIS\'s ocrvqa.json is read when dataset.json is absent', async () => {
  const lavis = await readFrom(await ingested('lavis', DICT, 'ocrvqa.json'));
  assert.equal(records(lavis).length, 80);
  assert.ok(records(lavis).every((r) => r.sourceFile === 'ocrvqa.json'));
});

test('bad books and unfetched covers are quarantined with their reason', async () => {
  const [a, b, c, d, e, f] = Object.keys(DICT);
  const bad: Record<string, unknown> = structuredClone(DICT);
  delete (bad[a] as Record<string, unknown>).imageURL;
  (bad[b] as Record<string, unknown>).questions = 'Who wrote this book?';
  (bad[c] as Record<string, unknown>).answers = ['only one'];
  (bad[d] as Record<string, unknown>).split = 7;
  bad['../../escape'] = bad[e];
  delete bad[e];
  const dir = await ingested('bad', bad, 'dataset.json', [DICT[f].imageURL as string]);
  const list = await collect(adapter.urlList!(new RawAccess(() => dir)));
  assert.ok(list.every((entry) => /^images\/\d+\.(jpg|png)$/.test(entry.path)), 'no list path escapes images/');
  const out = await readFrom(dir);
  const counts: Record<string, number> = {};
  for (const reason of reasons(out)) counts[reason] = (counts[reason] ?? 0) + 1;
  assert.deepEqual(counts, { 'missing-field': 1, 'bad-type': 1, 'bad-value': 2, 'unsafe-path': 1, 'image-not-fetched': 5 });
  assert.equal(records(out).length, 80 - 30);
});

test('a missing annotation file is an error that says to run ingest', async () => {
  const empty = path.join(temp, 'empty');
  mkdirSync(empty, { recursive: true });
  await assert.rejects(collect(adapter.read(new RawAccess(() => empty))), /neither dataset.json nor ocrvqa.json.*run ingest/);
});
