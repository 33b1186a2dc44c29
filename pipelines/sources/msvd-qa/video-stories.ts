/**
 * Short synthetic videos for the video-QA sample mirrors (msvd-qa, msrvtt-qa and ivqa share them):
 * shapes on the 16 px grid of pipelines/sample/scene.ts that move or change colour over time, and
 * the questions whose answers those videos make true.
 *
 * A story has 12 frames in 4 segments of 3. Uniform sampling of 4 frames (pipelines/media/
 * video-frames.ts) takes the centre of each segment, so every sampled frame shows one segment,
 * and "at the start" / "at the end" questions are answered by the first and last sampled frames.
 */
import {
  COLOR_NAMES, COUNT_WORDS, POSITIONS, SHAPE_NAMES, plural,
  type ColorName, type Position, type Scene, type ShapeName,
} from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

export const SEGMENTS = 4;
export const FRAMES_PER_SEGMENT = 3;
export const STORY_FPS = 4;

interface StoryBase {
  shape: ShapeName;
  count: 1 | 2 | 3;
}

/** The shapes visit four different sides, one per segment. */
export interface MovingStory extends StoryBase {
  kind: 'moves';
  color: ColorName;
  path: Position[];
}

/** The shapes stay put and change colour halfway through. */
export interface RecolorStory extends StoryBase {
  kind: 'changes-color';
  from: ColorName;
  to: ColorName;
  position: Position;
}

export type VideoStory = MovingStory | RecolorStory;

export type QuestionKind = 'color' | 'shape' | 'count' | 'position';

export interface StoryQuestion {
  kind: QuestionKind;
  question: string;
  /** One word, as MSVD-QA and MSRVTT-QA answers are. */
  answer: string;
}

function shuffled<T>(next: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function randomStory(next: () => number): VideoStory {
  const shape = pick(next, SHAPE_NAMES);
  const count = (1 + Math.floor(next() * 3)) as 1 | 2 | 3;
  if (next() < 0.5) return { kind: 'moves', shape, count, color: pick(next, COLOR_NAMES), path: shuffled(next, POSITIONS) };
  const [from, to] = shuffled(next, COLOR_NAMES);
  return { kind: 'changes-color', shape, count, from, to, position: pick(next, POSITIONS) };
}

function segmentScene(story: VideoStory, segment: number): Scene {
  const { shape, count } = story;
  if (story.kind === 'moves') return { shape, count, color: story.color, position: story.path[segment] };
  return { shape, count, color: segment < SEGMENTS / 2 ? story.from : story.to, position: story.position };
}

/** The scene of every frame, in order. */
export function storyScenes(story: VideoStory): Scene[] {
  return Array.from({ length: SEGMENTS * FRAMES_PER_SEGMENT }, (_, i) => segmentScene(story, Math.floor(i / FRAMES_PER_SEGMENT)));
}

/** Every question the video answers, each true of all four sampled frames or of the frames it names. */
export function storyQuestions(story: VideoStory): StoryQuestion[] {
  const first = segmentScene(story, 0);
  const one = story.count === 1;
  const things = plural(first);
  const be = one ? 'is' : 'are';
  const howMany: StoryQuestion = { kind: 'count', question: `how many ${plural({ ...first, count: 2 })} are there?`, answer: COUNT_WORDS[story.count] };
  if (story.kind === 'moves') {
    return [
      { kind: 'color', question: `what color ${be} the ${things}?`, answer: story.color },
      { kind: 'shape', question: 'what is moving around?', answer: story.shape },
      howMany,
      { kind: 'position', question: `where ${be} the ${things} at the start?`, answer: story.path[0] },
      { kind: 'position', question: `where ${be} the ${things} at the end?`, answer: story.path[SEGMENTS - 1] },
    ];
  }
  return [
    { kind: 'color', question: `what color ${be} the ${things} at first?`, answer: story.from },
    { kind: 'color', question: `what color ${one ? 'does' : 'do'} the ${things} turn?`, answer: story.to },
    { kind: 'shape', question: 'what changes color?', answer: story.shape },
    howMany,
    { kind: 'position', question: `where ${be} the ${things}?`, answer: story.position },
  ];
}

/** Every answer a story question can have: the sample's answer vocabulary. */
export const STORY_ANSWERS: string[] = [...COLOR_NAMES, ...SHAPE_NAMES, ...COUNT_WORDS.slice(1), ...POSITIONS];
