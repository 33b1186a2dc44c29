/**
 * The sample mirrors' videos and questions for MSVD-QA and MSRVTT-QA: a few videos per split with
 * ids from the split's official id range, every question of each video's story, and QA files in
 * the official layout. The two sources differ only in ids, containers and extra fields.
 */
import { hash32, hashString, rng } from '../../util/random.ts';
import { randomStory, STORY_ANSWERS, storyQuestions, type StoryQuestion, type VideoStory } from './video-stories.ts';
import { QA_SPLITS } from './video-qa-reader.ts';

export type QaSplit = (typeof QA_SPLITS)[number];

export interface SampleVideo {
  split: QaSplit;
  /** The dataset's integer video id (MSVD vid<N>, MSR-VTT video<N>). */
  videoId: number;
  story: VideoStory;
}

/** Videos per split at scale 1; test is the split the catalog evaluates. */
const VIDEOS_PER_SPLIT: Record<QaSplit, number> = { train: 2, val: 1, test: 5 };

/** Distinct ids per split drawn from `ranges` (inclusive), in id order, each with its story; `source` varies the draw. */
export function sampleVideos(source: string, seed: number, scale: number, ranges: Record<QaSplit, [number, number]>): SampleVideo[] {
  const next = rng(hash32(seed, hashString(source)));
  return QA_SPLITS.flatMap((split) => {
    const [lo, hi] = ranges[split];
    const ids = new Set<number>();
    while (ids.size < VIDEOS_PER_SPLIT[split] * scale) ids.add(lo + Math.floor(next() * (hi - lo + 1)));
    return [...ids].sort((a, b) => a - b).map((videoId) => ({ split, videoId, story: randomStory(next) }));
  });
}

export interface SampleQuestion extends StoryQuestion {
  video: SampleVideo;
  /** Numbered across train, val, test in that order, like the release's `id`. */
  id: number;
}

export function sampleQuestions(videos: SampleVideo[]): SampleQuestion[] {
  let id = 0;
  return QA_SPLITS.flatMap((split) => videos
    .filter((v) => v.split === split)
    .flatMap((video) => storyQuestions(video.story).map((q) => ({ ...q, video, id: id++ }))));
}

/** `{split}_qa.json` content: records in the release's field order, `extra` inserted before `id`. */
export function officialQaFiles(
  questions: SampleQuestion[],
  extra: (q: SampleQuestion) => Record<string, unknown> = () => ({}),
): Record<QaSplit, object[]> {
  const files = { train: [], val: [], test: [] } as Record<QaSplit, object[]>;
  for (const q of questions) {
    files[q.video.split].push({ answer: q.answer, ...extra(q), id: q.id, question: q.question, video_id: q.video.videoId });
  }
  return files;
}

/** LAVIS's train_ans2label.json for the sample: every answer a story can have, as the real one lists the train answers. */
export const sampleAns2label = (): Record<string, number> => Object.fromEntries(STORY_ANSWERS.map((a, i) => [a, i]));
