/**
 * The iVQA sample mirror: train/val/test CSVs, one question per clip as in iVQA, with five
 * annotators' answers (most give the story's answer, the rest a wording of it), and each clip as a
 * tiny H.264 MP4 of a shape story under video/<video_id>_<start>_<end>.mp4.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { COUNT_WORDS } from '../../sample/scene.ts';
import { hash32, hashString, rng } from '../../util/random.ts';
import { MP4_H264, storyVideo } from '../msvd-qa/story-video.ts';
import { randomStory, storyQuestions, type QuestionKind, type StoryQuestion, type VideoStory } from '../msvd-qa/video-stories.ts';
import { youtubeId } from '../msvd-qa/youtube-id.ts';
import type { SampleMaker } from '../types.ts';
import { ANSWER_COLUMNS } from './csv-rows.ts';
import { csvFile, IVQA_SPLITS } from './spec.ts';
import { VIDEO_FOLDER } from './video-folder.ts';

type IvqaSplit = (typeof IVQA_SPLITS)[number];

const CLIPS_PER_SPLIT: Record<IvqaSplit, number> = { train: 4, val: 4, test: 12 };

export interface IvqaSampleClip {
  split: IvqaSplit;
  videoId: string;
  start: number;
  end: number;
  story: VideoStory;
  question: StoryQuestion;
  answers: string[];
}

/** How an annotator who does not copy the short answer word might write it. */
const REWORDED: Record<QuestionKind, (answer: string) => string> = {
  color: (a) => `${a} color`,
  shape: (a) => `a ${a}`,
  count: (a) => String(COUNT_WORDS.indexOf(a as (typeof COUNT_WORDS)[number])),
  position: (a) => `${a} side`,
};

/** Five answers: three to five give the answer word, the others a rewording, in random order. */
function annotatorAnswers(next: () => number, question: StoryQuestion): string[] {
  const agree = 3 + Math.floor(next() * 3);
  const answers = Array.from({ length: 5 }, (_, i) => (i < agree ? question.answer : REWORDED[question.kind](question.answer)));
  for (let i = answers.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [answers[i], answers[j]] = [answers[j], answers[i]];
  }
  return answers;
}

/** The mirror's clips in CSV order; questions cycle through each story's questions so every kind is asked. */
export function ivqaSampleClips(scale: number, seed: number): IvqaSampleClip[] {
  const next = rng(hash32(seed, hashString('ivqa')));
  let asked = 0;
  return IVQA_SPLITS.flatMap((split) => Array.from({ length: CLIPS_PER_SPLIT[split] * scale }, () => {
    const story = randomStory(next);
    const questions = storyQuestions(story);
    const question = questions[asked++ % questions.length];
    const start = Math.floor(next() * 600);
    return { split, videoId: youtubeId(next), start, end: start + 3, story, question, answers: annotatorAnswers(next, question) };
  }));
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function csvText(clips: IvqaSampleClip[]): string {
  const header = ['video_id', 'start', 'end', 'question', ...ANSWER_COLUMNS];
  const rows = clips.map((c) => [c.videoId, c.start, c.end, c.question.question, ...c.answers]);
  return [header, ...rows].map((cells) => `${cells.map(csvCell).join(',')}\n`).join('');
}

export const clipFileName = (clip: IvqaSampleClip) => `${clip.videoId}_${clip.start}_${clip.end}.mp4`;

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const clips = ivqaSampleClips(scale, seed);
  for (const split of IVQA_SPLITS) writeFileSync(path.join(outDir, csvFile(split)), csvText(clips.filter((c) => c.split === split)));
  mkdirSync(path.join(outDir, VIDEO_FOLDER), { recursive: true });
  await Promise.all(clips.map(async (clip) => {
    writeFileSync(path.join(outDir, VIDEO_FOLDER, clipFileName(clip)), await storyVideo(clip.story, MP4_H264));
  }));
};
