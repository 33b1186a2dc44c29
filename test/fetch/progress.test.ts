import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineProgress } from '../../pipelines/fetch/progress.ts';
import { formatBytes, formatSeconds } from '../../pipelines/fetch/units.ts';

test('plain progress: a line per phase start, at most one per interval, and a final line with rate and ETA', () => {
  let now = 0;
  const lines: string[] = [];
  const progress = lineProgress((l) => lines.push(l), 5000, () => now);
  progress.begin('ocrvqa images', 100);
  for (let i = 0; i < 50; i++) {
    now += 100;
    progress.advance(1, 2000);
  }
  progress.note('FAILED: something');
  progress.end();
  assert.deepEqual(lines, [
    'ocrvqa images: 100 items',
    'ocrvqa images: 50/100 items, 100.0 kB, 10.0 items/s, 20.0 kB/s, ETA 5s',
    'FAILED: something',
    'ocrvqa images: done, 50/100 items, 100.0 kB, 10.0 items/s, 20.0 kB/s, ETA 5s',
  ]);
});

test('units', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1_500_000), '1.5 MB');
  assert.equal(formatSeconds(59.4), '59s');
  assert.equal(formatSeconds(61), '1m01s');
  assert.equal(formatSeconds(7322), '2h02m');
  assert.equal(formatSeconds(Number.POSITIVE_INFINITY), '?');
});

test('terminal progress draws a bar with items, bytes, rate and ETA, and keeps notes above it', async () => {
  const { PassThrough } = await import('node:stream');
  const { barProgress } = await import('../../pipelines/fetch/progress.ts');
  const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
  let out = '';
  tty.on('data', (c) => (out += c));
  const progress = barProgress(tty);
  progress.begin('coco files', 4);
  progress.advance(1, 1_500_000);
  progress.note('FAILED: coco: x.zip: HTTP 404');
  progress.advance(1, 0);
  progress.end();
  assert.match(out, /coco files \|.*\| 2\/4 items \| 1\.5 MB \| .*\/s \| ETA /);
  assert.match(out, /FAILED: coco: x\.zip: HTTP 404/);
});
