import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { extractFrames, VideoDecodeError } from '../../pipelines/media/video-frames.ts';
import { answerShares } from '../../pipelines/sources/common/answer-shares.ts';
import { adapter } from '../../pipelines/sources/ivqa/adapter.ts';
import { clipFileName, ivqaSampleClips, makeSample } from '../../pipelines/sources/ivqa/make-sample.ts';
import type { SourceRecord } from '../../pipelines/sources/types.ts';
import { countsOf, readAll, reasonsOf, sampleRaw } from './coco-family-helpers.ts';
import { assertMirrorReproduces, assertRecordsTrueOfVideos, corruptHeader, mirrorCopy } from './video-qa-helpers.ts';

const SOURCE = 'ivqa';
const clips = ivqaSampleClips(1, 1);
const storyOf = new Map(clips.map((c) => [c.videoId, c.story]));
const videoIdOf = (r: SourceRecord) => (JSON.parse(r.meta!) as { videoId: string }).videoId;

/** Replaces line `index` (0 = header) of a CSV in `dir`. */
function editCsvLine(dir: string, file: string, index: number, edit: (line: string) => string): void {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  lines[index] = edit(lines[index]);
  writeFileSync(path.join(dir, file), lines.join('\n'));
}

test('ivqa sample: one record per clip with its five answers, each a video file under video/', async () => {
  const { records, quarantines } = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(records), { 'ivqa/train': 4, 'ivqa/val': 4, 'ivqa/test': 12 });
  assert.deepEqual(quarantines, []);
  for (const [i, r] of records.entries()) {
    const clip = clips[i];
    assert.equal(r.id, `ivqa/${clip.split}/${clip.videoId}_${clip.start}_${clip.end}`);
    assert.deepEqual(r.media, [{ kind: 'video', source: SOURCE, path: `video/${clipFileName(clip)}` }]);
    assert.deepEqual(r.answers, clip.answers);
    assert.deepEqual(r.answerWeights, answerShares(clip.answers));
    assert.deepEqual(JSON.parse(r.meta!), { videoId: clip.videoId, start: clip.start, end: clip.end });
  }
  assert.ok(records.some((r) => new Set(r.answers).size > 1), 'some annotators reword the answer');
});

test('ivqa sample: every answer is true of the 4 frames sampled from its clip', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  await assertRecordsTrueOfVideos(raw, records, (r) => storyOf.get(videoIdOf(r))!);
});

test('ivqa sample: regenerating gives the committed files byte for byte', async () => {
  await assertMirrorReproduces(SOURCE, makeSample);
});

test('ivqa: bad CSV rows are quarantined with their reason, the others kept', async () => {
  const dir = mirrorCopy(SOURCE);
  const cells = (line: string) => line.split(',');
  editCsvLine(dir, 'test.csv', 1, (line) => cells(line).map((c, i) => (i === 6 ? '' : c)).join(','));
  editCsvLine(dir, 'test.csv', 2, (line) => cells(line).slice(0, 6).join(','));
  editCsvLine(dir, 'test.csv', 3, (line) => cells(line).map((c, i) => (i === 1 ? 'soon' : c)).join(','));
  editCsvLine(dir, 'test.csv', 4, (line) => cells(line).map((c, i) => (i === 0 ? 'gone0000000' : c)).join(','));
  editCsvLine(dir, 'test.csv', 6, () => readFileSync(path.join(dir, 'test.csv'), 'utf8').split('\n')[5]);
  const run = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  assert.deepEqual(reasonsOf(run), ['missing-field', 'missing-field', 'bad-type', 'unknown-video', 'duplicate-id']);
  assert.equal(run.quarantines[0].detail, 'test.csv record 0: "answer3" is empty');
  assert.equal(run.quarantines[1].detail, 'test.csv record 1: "answer3" is empty');
  assert.match(run.quarantines[2].detail, /"start" is "soon", expected seconds/);
  assert.match(run.quarantines[3].detail, /no video\/gone0000000_\d+_\d+\.\{mp4,webm,mkv\}/);
  assert.match(run.quarantines[4].detail, /already has a question earlier in test\.csv/);
  assert.equal(countsOf(run.records)['ivqa/test'], 7);
});

test('ivqa: a CSV without start/end finds clips saved as video/<video_id>.mp4', async () => {
  const dir = mirrorCopy(SOURCE);
  for (const clip of clips) renameSync(path.join(dir, 'video', clipFileName(clip)), path.join(dir, 'video', `${clip.videoId}.mp4`));
  for (const file of ['train.csv', 'val.csv', 'test.csv']) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    writeFileSync(path.join(dir, file), text.replace(/^([^,\n]*),[^,\n]*,[^,\n]*,/gm, '$1,'));
  }
  const { records, quarantines } = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  assert.deepEqual(quarantines, []);
  assert.equal(records.length, clips.length);
  assert.deepEqual(records[0].media, [{ kind: 'video', source: SOURCE, path: `video/${clips[0].videoId}.mp4` }]);
  assert.equal(records[0].id, `ivqa/train/${clips[0].videoId}`);
});

test('ivqa: a clip with a corrupt header is referenced as is and fails at the media stage with ffmpeg\'s message', async () => {
  const dir = mirrorCopy(SOURCE);
  const clip = clips.find((c) => c.split === 'test')!;
  const file = path.join(dir, 'video', clipFileName(clip));
  writeFileSync(file, corruptHeader(readFileSync(file)));
  const raw = sampleRaw({ [SOURCE]: dir });
  const record = (await readAll(adapter, raw)).records.find((r) => videoIdOf(r) === clip.videoId)!;
  await assert.rejects(extractFrames(raw.resolve(SOURCE, record.media[0].path), 4), (err: unknown) => {
    assert.ok(err instanceof VideoDecodeError);
    assert.match(err.ffmpegMessage, new RegExp(`${clipFileName(clip)}: Invalid data found when processing input`));
    return true;
  });
});

test('ivqa: no video folder, no CSV or a CSV without answer columns stop the build with what to do', async () => {
  const noVideos = mirrorCopy(SOURCE);
  rmSync(path.join(noVideos, 'video'), { recursive: true });
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: noVideos })), /no video\/ folder\. iVQA ships no video archive/);
  const noCsv = mirrorCopy(SOURCE);
  for (const file of ['train.csv', 'val.csv', 'test.csv']) rmSync(path.join(noCsv, file));
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: noCsv })), /none of train\.csv, val\.csv, test\.csv/);
  const noAnswers = mirrorCopy(SOURCE);
  editCsvLine(noAnswers, 'val.csv', 0, (header) => header.replace('answer5', 'notes'));
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: noAnswers })), /val\.csv has no column answer5/);
});
