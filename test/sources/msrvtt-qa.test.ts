import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { extractFramesFromBytes } from '../../pipelines/media/video-frames-bytes.ts';
import { VideoDecodeError } from '../../pipelines/media/video-frames.ts';
import { adapter } from '../../pipelines/sources/msrvtt-qa/adapter.ts';
import { makeSample, msrvttSampleVideos } from '../../pipelines/sources/msrvtt-qa/make-sample.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { SourceRecord } from '../../pipelines/sources/types.ts';
import { countsOf, mediaBytes, readAll, reasonsOf, sampleRaw, scratchDir } from './coco-family-helpers.ts';
import {
  assertMirrorReproduces, assertRecordsTrueOfVideos, corruptHeader, editArchiveMember, editJsonFile, mirrorCopy,
} from './video-qa-helpers.ts';

const SOURCE = 'msrvtt-qa';
const storyOf = new Map(msrvttSampleVideos(1, 1).map((v) => [v.videoId, v.story]));
const metaOf = (r: SourceRecord) => JSON.parse(r.meta!) as { videoId: number; categoryId: number; answerVocabulary: string };

test('msrvtt-qa sample: one record per question; test videos from test_videos.zip, the others from train_val_videos.zip', async () => {
  const { records, quarantines } = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(records), { 'msrvtt-qa/train': 10, 'msrvtt-qa/val': 5, 'msrvtt-qa/test': 25 });
  assert.deepEqual(quarantines, []);
  assert.equal(new Set(records.map((r) => r.id)).size, records.length);
  for (const r of records) {
    const { videoId, categoryId, answerVocabulary } = metaOf(r);
    const zip = r.split === 'test' ? { path: 'test_videos.zip', folder: 'TestVideo' } : { path: 'train_val_videos.zip', folder: 'TrainValVideo' };
    assert.deepEqual(r.media, [{ kind: 'video', source: SOURCE, path: zip.path, member: `${zip.folder}/video${videoId}.mp4` }]);
    assert.ok(r.split === 'test' ? videoId >= 7010 : videoId <= 7009, r.id);
    assert.ok(Number.isInteger(categoryId) && categoryId >= 0 && categoryId < 20);
    assert.equal(answerVocabulary, 'train_ans2label.json');
  }
});

test('msrvtt-qa sample: every answer is true of the 4 frames sampled from its video', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  await assertRecordsTrueOfVideos(raw, records, (r) => storyOf.get(metaOf(r).videoId)!);
});

test('msrvtt-qa sample: regenerating gives the committed files byte for byte', async () => {
  await assertMirrorReproduces(SOURCE, makeSample);
});

test('msrvtt-qa: the LAVIS layout is detected and gives the same questions and videos', async () => {
  const official = await readAll(adapter, sampleRaw());
  const dir = scratchDir();
  for (const file of ['train_val_videos.zip', 'test_videos.zip', 'train_ans2label.json']) cpSync(path.join(sampleDir(SOURCE), file), path.join(dir, file));
  for (const split of ['train', 'val', 'test']) {
    const qa = JSON.parse(readFileSync(path.join(sampleDir(SOURCE), `${split}_qa.json`), 'utf8')) as any[];
    writeFileSync(path.join(dir, `qa_${split}.json`), JSON.stringify(qa.map((q) => ({
      video: `video${q.video_id}.mp4`, question: q.question, answer: q.answer, question_id: q.id,
    }))));
  }
  const lavis = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  const essence = (r: SourceRecord) => ({ id: r.id, question: r.question, answers: r.answers, media: r.media, split: r.split });
  assert.deepEqual(lavis.records.map(essence), official.records.map(essence));
  assert.equal(lavis.records.at(-1)!.sourceFile, 'qa_test.json');
});

test('msrvtt-qa: a question on a video neither zip holds is quarantined as unknown-video', async () => {
  const dir = mirrorCopy(SOURCE);
  editJsonFile(path.join(dir, 'test_qa.json'), (qa: any[]) => {
    qa[4].video_id = 9999;
    qa[5].category_id = 'sports';
    delete qa[6].question;
    return qa;
  });
  const run = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  assert.deepEqual(reasonsOf(run), ['unknown-video', 'bad-type', 'missing-field']);
  assert.match(run.quarantines[0].detail, /^test_qa\.json record 4: no video "video9999\.mp4" in train_val_videos\.zip or test_videos\.zip$/);
  assert.equal(countsOf(run.records)['msrvtt-qa/test'], 22);
});

test('msrvtt-qa: test videos alone are enough for the test split; train questions then name unknown videos', async () => {
  const dir = mirrorCopy(SOURCE);
  rmSync(path.join(dir, 'train_val_videos.zip'));
  const run = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  assert.equal(countsOf(run.records)['msrvtt-qa/test'], 25);
  assert.equal(run.quarantines.length, 15);
  assert.ok(run.quarantines.every((q) => q.reason === 'unknown-video' && q.split !== 'test'));
});

test('msrvtt-qa: a video with a corrupt header is referenced as is and fails at the media stage with ffmpeg\'s message', async () => {
  const dir = mirrorCopy(SOURCE);
  const raw = sampleRaw({ [SOURCE]: dir });
  const { records } = await readAll(adapter, sampleRaw());
  const member = records.find((r) => r.split === 'test')!.media[0].member!;
  await editArchiveMember(dir, 'test_videos.zip', member, corruptHeader);
  const onCorrupt = (await readAll(adapter, raw)).records.filter((r) => r.media[0].member === member);
  assert.equal(onCorrupt.length, 5);
  await assert.rejects(extractFramesFromBytes(await mediaBytes(raw, onCorrupt[0].media[0]), `test_videos.zip:${member}`, 4), (err: unknown) => {
    assert.ok(err instanceof VideoDecodeError);
    assert.match(err.ffmpegMessage, /moov atom not found/);
    assert.match(err.ffmpegMessage, /video\d+\.mp4: Invalid data found when processing input/);
    return true;
  });
});
