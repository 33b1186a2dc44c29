/**
 * ScienceQA-style problems for the sample: image problems ask about the pictured shapes (and are
 * answerable only by looking), text problems ask about shapes in general and have no image, like
 * the half of ScienceQA that the image-context evaluation leaves out. The right answer is always
 * among the choices, at `answer`.
 */
import { COLOR_NAMES, COUNT_WORDS, POSITIONS, randomScene, SHAPE_NAMES, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';
import { shuffledOptions as options } from './options.ts';

export interface ScienceProblem {
  question: string;
  choices: string[];
  answer: number;
  hint: string;
  /** File name inside the problem's image folder, or null for a text-only problem. */
  image: string | null;
  scene: Scene | null;
  task: string;
  grade: string;
  subject: string;
  topic: string;
  category: string;
  skill: string;
  lecture: string;
  solution: string;
}

const LECTURE = 'A shape can be described by its number of sides, its colour and where it is. '
  + 'A circle has no straight sides, a triangle has three and a square has four equal sides.';

const common = { task: 'closed choice', subject: 'natural science', topic: 'geometry', lecture: LECTURE };

export function imageProblem(next: () => number): ScienceProblem {
  const scene = randomScene(next);
  const kind = pick(next, ['shape', 'count', 'color', 'position'] as const);
  const base = { ...common, image: 'image.png', scene, grade: pick(next, ['grade1', 'grade2', 'grade3']), category: 'Identify shapes', skill: 'shape identification' };
  switch (kind) {
    case 'shape':
      return { ...base, question: 'Which shape is shown in the picture?', ...options(scene.shape, SHAPE_NAMES, 3, next),
        hint: 'Look at the picture.', solution: `The picture shows ${scene.shape === 'circle' ? 'round shapes: circles' : `${scene.shape}s`}.` };
    case 'count':
      return { ...base, question: 'How many shapes are in the picture?', ...options(COUNT_WORDS[scene.count], COUNT_WORDS.slice(1), 3, next),
        hint: 'Count the shapes in the picture.', solution: `Count the shapes: there are ${COUNT_WORDS[scene.count]}.` };
    case 'color':
      return { ...base, question: 'What color are the shapes in the picture?', ...options(scene.color, COLOR_NAMES, 4, next),
        hint: '', solution: `The shapes are ${scene.color}.` };
    case 'position':
      return { ...base, question: 'Where are the shapes in the picture?', ...options(`at the ${scene.position}`, POSITIONS.map((p) => `at the ${p}`), 4, next),
        hint: 'The picture has a top, a bottom, a left side and a right side.', solution: `The shapes are at the ${scene.position} of the picture.` };
  }
}

const TEXT_FACTS = [
  { question: 'Which shape has three sides?', truth: 'triangle' },
  { question: 'Which shape has four equal sides?', truth: 'square' },
  { question: 'Which shape has no straight sides?', truth: 'circle' },
];

export function textProblem(next: () => number): ScienceProblem {
  const fact = pick(next, TEXT_FACTS);
  return {
    ...common, question: fact.question, ...options(fact.truth, SHAPE_NAMES, 3, next), hint: '', image: null, scene: null,
    grade: 'grade2', category: 'Identify shapes by sides', skill: 'shape properties', solution: `A ${fact.truth} is the answer.`,
  };
}
