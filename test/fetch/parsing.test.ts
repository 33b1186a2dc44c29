import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseContentRange } from '../../pipelines/fetch/content-range.ts';
import { sniffImageType } from '../../pipelines/fetch/image-magic.ts';
import { formatSha256Sums, parseSha256Sums } from '../../pipelines/fetch/sha256-sums.ts';

test('Content-Range: ranges, unknown totals, unsatisfied, garbage', () => {
  assert.deepEqual(parseContentRange('bytes 100-199/1000'), { kind: 'range', start: 100, end: 199, total: 1000 });
  assert.deepEqual(parseContentRange('bytes 0-0/*'), { kind: 'range', start: 0, end: 0, total: null });
  assert.deepEqual(parseContentRange('bytes */1000'), { kind: 'unsatisfied', total: 1000 });
  for (const bad of [undefined, '', 'bytes 5-1/10', 'items 0-1/2', 'bytes=0-1/2']) assert.equal(parseContentRange(bad), null, String(bad));
});

test('Content-Range round-trips any valid range', () => {
  fc.assert(fc.property(fc.nat(), fc.nat(), fc.option(fc.nat()), (a, len, total) => {
    const v = `bytes ${a}-${a + len}/${total ?? '*'}`;
    const parsed = parseContentRange(v);
    return parsed?.kind === 'range' && parsed.start === a && parsed.end === a + len && parsed.total === (total ?? null);
  }));
});

const relPath = fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/), { minLength: 1, maxLength: 4 }).map((p) => p.join('/'));
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

test('SHA256SUMS: what we format, we parse back', () => {
  fc.assert(fc.property(fc.dictionary(relPath, hex64), (dict) => {
    const sums = new Map(Object.entries(dict));
    assert.deepEqual(parseSha256Sums(formatSha256Sums(sums), 'SUMS'), sums);
  }));
});

test('SHA256SUMS: binary-mode marker, upper case, blank lines; bad lines name the file and line', () => {
  const a = 'A'.repeat(64);
  const parsed = parseSha256Sums(`${a} *images/x y.jpg\r\n\n${'b'.repeat(64)}  ann.json\n`, 'm/SHA256SUMS');
  assert.deepEqual([...parsed], [['images/x y.jpg', 'a'.repeat(64)], ['ann.json', 'b'.repeat(64)]]);
  assert.throws(() => parseSha256Sums(`${'a'.repeat(64)}  ok\nnot a line\n`, 'm/SHA256SUMS'), /m\/SHA256SUMS line 2/);
  assert.throws(() => parseSha256Sums(`${'a'.repeat(64)}  f\n${'b'.repeat(64)}  f\n`, 'S'), /listed twice/);
});

test('image magic bytes', () => {
  const b = (...x: number[]) => Uint8Array.from(x);
  const ascii = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
  assert.equal(sniffImageType(b(0xff, 0xd8, 0xff, 0xe0)), 'jpeg');
  assert.equal(sniffImageType(b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)), 'png');
  assert.equal(sniffImageType(ascii('GIF89a....')), 'gif');
  assert.equal(sniffImageType(ascii('GIF87a')), 'gif');
  assert.equal(sniffImageType(ascii('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
  assert.equal(sniffImageType(ascii('RIFF\0\0\0\0WAVE')), null);
  assert.equal(sniffImageType(ascii('<!DOCTYPE html>')), null);
  assert.equal(sniffImageType(b(0xff, 0xd8)), null);
  assert.equal(sniffImageType(b()), null);
});
