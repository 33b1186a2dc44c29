/**
 * The MSVD-QA sample mirror: YouTubeClips.tar with tiny AVI clips of shape stories, the official
 * QA files and youtube_mapping.txt for them, and LAVIS's train_ans2label.json. Video ids come from
 * the official split ranges (train vid1–1200, val vid1201–1300, test vid1301–1970).
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { writeJson } from '../../sample/json-bytes.ts';
import { rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { ANSWER_VOCABULARY_FILE } from './answer-vocabulary.ts';
import { officialQaFiles, sampleAns2label, sampleQuestions, sampleVideos, type SampleVideo } from './sample-qa.ts';
import { YOUTUBE_CLIPS_TAR } from './spec.ts';
import { AVI_XVID, storyVideo } from './story-video.ts';
import { writeTar } from '../../sample/tar-writer.ts';
import { officialQaFile, QA_SPLITS } from './video-qa-reader.ts';
import { YOUTUBE_MAPPING_FILE } from './youtube-mapping.ts';
import { youtubeId } from './youtube-id.ts';

const VID_RANGES = { train: [1, 1200], val: [1201, 1300], test: [1301, 1970] } satisfies Record<string, [number, number]>;

/** The mirror's videos; tests use them to know what each clip shows. */
export const msvdSampleVideos = (scale: number, seed: number): SampleVideo[] => sampleVideos('msvd-qa', seed, scale, VID_RANGES);

/** `<YouTube id>_<start>_<end>`, the clip's span in seconds of the YouTube video. */
function clipName(seed: number, video: SampleVideo): string {
  const next = rng(seed * 7919 + video.videoId);
  const start = Math.floor(next() * 300);
  return `${youtubeId(next)}_${start}_${start + 3}`;
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const videos = msvdSampleVideos(scale, seed);
  const clips = videos.map((video) => ({ video, clip: clipName(seed, video) }));
  await writeTar(path.join(outDir, YOUTUBE_CLIPS_TAR), await Promise.all(clips.map(async ({ video, clip }) => ({
    name: `YouTubeClips/${clip}.avi`,
    data: await storyVideo(video.story, AVI_XVID),
  }))));
  writeFileSync(path.join(outDir, YOUTUBE_MAPPING_FILE), clips.map(({ video, clip }) => `${clip} vid${video.videoId}\n`).join(''));
  const files = officialQaFiles(sampleQuestions(videos));
  for (const split of QA_SPLITS) writeJson(path.join(outDir, officialQaFile(split)), files[split]);
  writeJson(path.join(outDir, ANSWER_VOCABULARY_FILE), sampleAns2label());
};
