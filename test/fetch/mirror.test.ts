import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseMirror } from '../../pipelines/fetch/mirror.ts';
import { specFileLocation, sumsLocation, urlEntryLocation, urlMirrorPath } from '../../pipelines/fetch/mirror-locations.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import { tempDir } from './helpers/settings.ts';

const file = { path: 'annotations/captions_train2014.json', url: 'https://example.org/ann.zip', description: 'x' };

test('parseMirror: keywords, URLs, folders, and a clear error for anything else', async (t) => {
  const dir = await tempDir(t);
  assert.deepEqual(parseMirror('sample'), { kind: 'sample' });
  assert.deepEqual(parseMirror('official'), { kind: 'official' });
  assert.deepEqual(parseMirror('http://127.0.0.1:8080/mirror/'), { kind: 'http', base: 'http://127.0.0.1:8080/mirror' });
  assert.deepEqual(parseMirror(dir), { kind: 'folder', dir });
  assert.deepEqual(parseMirror(path.basename(dir), path.dirname(dir)), { kind: 'folder', dir });
  assert.throws(() => parseMirror(path.join(dir, 'missing')), /not "sample", "official", an http\(s\) base URL, or an existing folder/);
});

test('spec files map to sample/<path>, <folder>/<source>/<path>, <base>/<source>/<path>, or the spec URL', () => {
  assert.deepEqual(specFileLocation({ kind: 'sample' }, 'coco', file), { kind: 'file', file: path.join(sampleDir('coco'), file.path) });
  assert.deepEqual(specFileLocation({ kind: 'folder', dir: '/m' }, 'coco', file), { kind: 'file', file: '/m/coco/annotations/captions_train2014.json' });
  assert.deepEqual(specFileLocation({ kind: 'http', base: 'http://h/b' }, 'coco', { ...file, path: 'a b/c#d.json' }), { kind: 'url', url: 'http://h/b/coco/a%20b/c%23d.json' });
  assert.deepEqual(specFileLocation({ kind: 'official' }, 'coco', file), { kind: 'url', url: file.url });
  assert.deepEqual(sumsLocation({ kind: 'sample' }, 'coco'), { kind: 'file', file: path.join(sampleDir('coco'), 'SHA256SUMS') });
  assert.deepEqual(sumsLocation({ kind: 'http', base: 'http://h' }, 'coco'), { kind: 'url', url: 'http://h/coco/SHA256SUMS' });
  assert.equal(sumsLocation({ kind: 'official' }, 'coco'), null);
});

test('spec paths that escape the source folder are refused for every mirror kind but official', () => {
  for (const bad of ['../x.json', '/etc/passwd', 'a/../../x']) {
    for (const mirror of [{ kind: 'sample' as const }, { kind: 'folder' as const, dir: '/m' }, { kind: 'http' as const, base: 'http://h' }]) {
      assert.throws(() => specFileLocation(mirror, 'coco', { ...file, path: bad }), /escapes|absolute/, `${mirror.kind} ${bad}`);
    }
  }
});

test('image URLs map to urls/<host>/<path> without query or port', () => {
  assert.equal(urlMirrorPath('http://ecx.images-amazon.com:8080/images/I/51Kx.jpg?x=1'), 'urls/ecx.images-amazon.com/images/I/51Kx.jpg');
  assert.equal(urlMirrorPath('https://h.org/a%20b/c.png'), 'urls/h.org/a b/c.png');
  assert.equal(urlMirrorPath('http://h.org/%2e%2e/%2e%2e/etc/passwd'), 'urls/h.org/etc/passwd');
  assert.deepEqual(urlEntryLocation({ kind: 'folder', dir: '/m' }, 'ocrvqa', 'http://h.org/i/1.jpg'), { kind: 'file', file: '/m/ocrvqa/urls/h.org/i/1.jpg' });
  assert.deepEqual(urlEntryLocation({ kind: 'http', base: 'http://127.0.0.1:9' }, 'ocrvqa', 'http://h.org/i/1.jpg'), { kind: 'url', url: 'http://127.0.0.1:9/ocrvqa/urls/h.org/i/1.jpg' });
  assert.deepEqual(urlEntryLocation({ kind: 'official' }, 'ocrvqa', 'http://h.org/i/1.jpg?a'), { kind: 'url', url: 'http://h.org/i/1.jpg?a' });
  assert.throws(() => urlEntryLocation({ kind: 'official' }, 'ocrvqa', 'file:///etc/passwd'), /not an http/);
  assert.throws(() => urlEntryLocation({ kind: 'official' }, 'ocrvqa', 'nope'), /not a URL/);
  for (const bad of ['not a url', 'http://h.org/', 'http://h.org/a%2F..%2F..%2Fb', 'http://h.org/%E0%A4%A']) {
    assert.throws(() => urlMirrorPath(bad), /a URL|no path|unsafe|percent/, bad);
  }
});

test('whatever the URL, a folder-mirror location stays inside <folder>/<source>/urls', () => {
  const segment = fc.oneof(fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a', 'b.jpg', '%00', ''), fc.string({ unit: fc.constantFrom('a', '.', '%', '2', 'e', 'F', '/', '\\', '5', 'C'), maxLength: 8 }));
  fc.assert(fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
    const url = `http://host.example/${segments.join('/')}`;
    let location;
    try {
      location = urlEntryLocation({ kind: 'folder', dir: '/m' }, 'src', url);
    } catch {
      return true;
    }
    return location.kind === 'file' && location.file.startsWith('/m/src/urls/host.example/') && !location.file.endsWith('/');
  }));
});
