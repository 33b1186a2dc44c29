/**
 * The MSRVTT-QA sample mirror: MSR-VTT's two video zips with tiny H.264 MP4s of shape stories,
 * the official QA files for them, and LAVIS's train_ans2label.json. Video ids come from the
 * MSRVTT-QA split ranges (train video0–6512, val 6513–7009, test 7010–9999).
 */
import path from 'node:path';
import { writeJson } from '../../sample/json-bytes.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32 } from '../../util/random.ts';
import { ANSWER_VOCABULARY_FILE } from '../msvd-qa/answer-vocabulary.ts';
import { officialQaFiles, sampleAns2label, sampleQuestions, sampleVideos, type SampleVideo } from '../msvd-qa/sample-qa.ts';
import { MP4_H264, storyVideo } from '../msvd-qa/story-video.ts';
import { officialQaFile, QA_SPLITS } from '../msvd-qa/video-qa-reader.ts';
import type { SampleMaker } from '../types.ts';
import { TEST_VIDEOS_ZIP, TRAIN_VAL_VIDEOS_ZIP } from './spec.ts';

const VIDEO_RANGES = { train: [0, 6512], val: [6513, 7009], test: [7010, 9999] } satisfies Record<string, [number, number]>;
/** MSR-VTT files every video under one of 20 categories; the QA records repeat it. */
const CATEGORIES = 20;

/** The mirror's videos; tests use them to know what each clip shows. */
export const msrvttSampleVideos = (scale: number, seed: number): SampleVideo[] => sampleVideos('msrvtt-qa', seed, scale, VIDEO_RANGES);

async function videoZip(file: string, folder: string, videos: SampleVideo[]): Promise<void> {
  await writeZip(file, await Promise.all(videos.map(async (video) => ({
    name: `${folder}/video${video.videoId}.mp4`,
    data: await storyVideo(video.story, MP4_H264),
  }))));
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const videos = msrvttSampleVideos(scale, seed);
  await videoZip(path.join(outDir, TRAIN_VAL_VIDEOS_ZIP), 'TrainValVideo', videos.filter((v) => v.split !== 'test'));
  await videoZip(path.join(outDir, TEST_VIDEOS_ZIP), 'TestVideo', videos.filter((v) => v.split === 'test'));
  const files = officialQaFiles(sampleQuestions(videos), (q) => ({ category_id: hash32(seed, q.video.videoId) % CATEGORIES }));
  for (const split of QA_SPLITS) writeJson(path.join(outDir, officialQaFile(split)), files[split]);
  writeJson(path.join(outDir, ANSWER_VOCABULARY_FILE), sampleAns2label());
};
