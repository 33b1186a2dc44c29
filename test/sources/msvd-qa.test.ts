import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { extractFramesFromBytes } from '../../pipelines/media/video-frames-bytes.ts';
import { VideoDecodeError } from '../../pipelines/media/video-frames.ts';
import { adapter } from '../../pipelines/sources/msvd-qa/adapter.ts';
import { makeSample, msvdSampleVideos } from '../../pipelines/sources/msvd-qa/make-sample.ts';
import { STORY_ANSWERS } from '../../pipelines/sources/msvd-qa/video-stories.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { SourceRecord } from '../../pipelines/sources/types.ts';
import { countsOf, mediaBytes, readAll, reasonsOf, sampleRaw, scratchDir } from './coco-family-helpers.ts';
import {
  assertMirrorReproduces, assertRecordsTrueOfVideos, corruptHeader, editArchiveMember, editJsonFile, mirrorCopy,
} from './video-qa-helpers.ts';

const SOURCE = 'msvd-qa';
const storyOf = new Map(msvdSampleVideos(1, 1).map((v) => [v.videoId, v.story]));
const videoIdOf = (r: SourceRecord) => (JSON.parse(r.meta!) as { videoId: number }).videoId;

test('msvd-qa sample: one record per question in every split, each a video in YouTubeClips.tar', async () => {
  const { records, quarantines } = await readAll(adapter, sampleRaw());
  assert.deepEqual(countsOf(records), { 'msvd-qa/train': 10, 'msvd-qa/val': 5, 'msvd-qa/test': 25 });
  assert.deepEqual(quarantines, []);
  assert.equal(new Set(records.map((r) => r.id)).size, records.length);
  for (const r of records) {
    assert.equal(r.media.length, 1);
    assert.equal(r.media[0].kind, 'video');
    assert.equal(r.media[0].path, 'YouTubeClips.tar');
    assert.match(r.media[0].member!, /^YouTubeClips\/[\w-]{11}_\d+_\d+\.avi$/);
    assert.deepEqual(r.answerWeights, [1]);
    assert.equal(JSON.parse(r.meta!).answerVocabulary, 'train_ans2label.json');
    assert.match(r.id, new RegExp(`^msvd-qa/${r.split}/\\d+$`));
  }
  const videosPerSplit = (split: string) => new Set(records.filter((r) => r.split === split).map((r) => r.media[0].member)).size;
  assert.deepEqual([videosPerSplit('train'), videosPerSplit('val'), videosPerSplit('test')], [2, 1, 5]);
});

test('msvd-qa sample: every answer is true of the 4 frames sampled from its clip', async () => {
  const raw = sampleRaw();
  const { records } = await readAll(adapter, raw);
  await assertRecordsTrueOfVideos(raw, records, (r) => storyOf.get(videoIdOf(r))!);
});

test('msvd-qa sample: the answer vocabulary covers every answer', () => {
  const vocabulary = JSON.parse(readFileSync(path.join(sampleDir(SOURCE), 'train_ans2label.json'), 'utf8'));
  assert.deepEqual(Object.keys(vocabulary), STORY_ANSWERS);
  assert.deepEqual(Object.values(vocabulary), STORY_ANSWERS.map((_, i) => i));
});

test('msvd-qa sample: regenerating gives the committed files byte for byte', async () => {
  await assertMirrorReproduces(SOURCE, makeSample);
});

test('msvd-qa: the LAVIS layout is detected and gives the same questions and videos', async () => {
  const official = await readAll(adapter, sampleRaw());
  const dir = scratchDir();
  for (const file of ['YouTubeClips.tar', 'train_ans2label.json']) cpSync(path.join(sampleDir(SOURCE), file), path.join(dir, file));
  const clipOf = new Map(readFileSync(path.join(sampleDir(SOURCE), 'youtube_mapping.txt'), 'utf8').trim().split('\n')
    .map((line) => line.split(' ')).map(([clip, vid]) => [Number(vid.slice(3)), clip]));
  for (const split of ['train', 'val', 'test']) {
    const qa = JSON.parse(readFileSync(path.join(sampleDir(SOURCE), `${split}_qa.json`), 'utf8')) as any[];
    writeFileSync(path.join(dir, `qa_${split}.json`), JSON.stringify(qa.map((q) => ({
      video: `${clipOf.get(q.video_id)}.avi`, question: q.question, answer: q.answer, question_id: q.id,
    }))));
  }
  const lavis = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  const essence = (r: SourceRecord) => ({ id: r.id, question: r.question, answers: r.answers, media: r.media, split: r.split });
  assert.deepEqual(lavis.records.map(essence), official.records.map(essence));
  assert.equal(lavis.records[0].sourceFile, 'qa_train.json');
  assert.deepEqual(JSON.parse(lavis.records[0].meta!), { video: `${clipOf.get(videoIdOf(official.records[0]))}.avi`, answerVocabulary: 'train_ans2label.json' });
});

test('msvd-qa: questions on unknown videos and with missing fields are quarantined, the rest kept', async () => {
  const dir = mirrorCopy(SOURCE);
  writeFileSync(path.join(dir, 'youtube_mapping.txt'), `${readFileSync(path.join(dir, 'youtube_mapping.txt'), 'utf8')}gone0000000_1_4 vid1969\n`);
  editJsonFile(path.join(dir, 'test_qa.json'), (qa: any[]) => {
    qa[0].video_id = 1968; // in no mapping line
    qa[1].video_id = 1969; // mapped, but no such clip in the tar
    delete qa[2].answer;
    qa[3].question = '';
    return qa;
  });
  const run = await readAll(adapter, sampleRaw({ [SOURCE]: dir }));
  assert.deepEqual(reasonsOf(run), ['unknown-video', 'unknown-video', 'missing-field', 'missing-field']);
  assert.match(run.quarantines[0].detail, /^test_qa\.json record 0: video_id 1968 \(vid1968\) is not in youtube_mapping\.txt$/);
  assert.match(run.quarantines[1].detail, /no video "gone0000000_1_4\.avi" in YouTubeClips\.tar/);
  assert.match(run.quarantines[2].detail, /"answer" is missing/);
  assert.ok(run.quarantines.every((q) => q.dataset === SOURCE && q.split === 'test'));
  assert.equal(countsOf(run.records)['msvd-qa/test'], 21);
});

test('msvd-qa: a clip with a corrupt header is referenced as is and fails at the media stage with ffmpeg\'s message', async () => {
  const dir = mirrorCopy(SOURCE);
  const raw = sampleRaw({ [SOURCE]: dir });
  const { records } = await readAll(adapter, sampleRaw());
  const member = records.find((r) => r.split === 'test')!.media[0].member!;
  await editArchiveMember(dir, 'YouTubeClips.tar', member, corruptHeader);
  const run = await readAll(adapter, raw);
  const onCorrupt = run.records.filter((r) => r.media[0].member === member);
  assert.equal(onCorrupt.length, 5);
  const bytes = await mediaBytes(raw, onCorrupt[0].media[0]);
  await assert.rejects(extractFramesFromBytes(bytes, `YouTubeClips.tar:${member}`, 4), (err: unknown) => {
    assert.ok(err instanceof VideoDecodeError);
    assert.equal(err.videoPath, `YouTubeClips.tar:${member}`);
    assert.match(err.ffmpegMessage, /\[avi\] Something went wrong during header parsing/);
    return true;
  });
});

test('msvd-qa: missing tar, missing mapping and a malformed vocabulary stop the build with what to do', async () => {
  const noTar = mirrorCopy(SOURCE);
  rmSync(path.join(noTar, 'YouTubeClips.tar'));
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: noTar })), /raw\/msvd-qa has none of the video archives YouTubeClips\.tar; run ingest/);
  const noMapping = mirrorCopy(SOURCE);
  rmSync(path.join(noMapping, 'youtube_mapping.txt'));
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: noMapping })), /needs youtube_mapping\.txt/);
  const badVocabulary = mirrorCopy(SOURCE);
  writeFileSync(path.join(badVocabulary, 'train_ans2label.json'), JSON.stringify({ red: 0, blue: 0 }));
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: badVocabulary })), /answer "blue" has class index 0, expected a distinct/);
  const noQa = scratchDir(SOURCE, ['YouTubeClips.tar']);
  await assert.rejects(readAll(adapter, sampleRaw({ [SOURCE]: noQa })), /neither \{train,val,test\}_qa\.json \(official\) nor qa_\{train,val,test\}\.json \(LAVIS\)/);
});
