/**
 * OK-VQA-style questions: they need a little outside knowledge (geometry, fruit, colour mixing),
 * but the scene still settles the answer, so the sample stays true of its images. Each kind
 * applies only to scenes where its answer is determined (no fruit is white, only purple and
 * green are mixes of two primaries).
 */
import type { ColorName, Scene, ShapeName } from '../../sample/scene.ts';

export interface KnowledgeQuestion {
  question: string;
  answer: string;
  /** OK-VQA's knowledge category code ("five" = cooking and food, "nine" = science and technology). */
  questionType: string;
  nearMisses: string[];
}

const CORNERS: Record<ShapeName, number> = { circle: 0, triangle: 3, square: 4 };

const SOLIDS: Record<ShapeName, [string, string[]]> = {
  circle: ['sphere', ['ball', 'globe']],
  square: ['cube', ['box']],
  triangle: ['pyramid', ['cone', 'tetrahedron']],
};

/** The fruit most people name for a colour, and the other fruits some name instead. */
export const FRUITS: Partial<Record<ColorName, [string, string[]]>> = {
  red: ['apple', ['cherry', 'strawberry']],
  yellow: ['banana', ['lemon']],
  green: ['lime', ['kiwi', 'pear']],
  purple: ['grape', ['plum']],
  blue: ['blueberry', ['berry']],
};

const PRIMARY_MIXES: Partial<Record<ColorName, [string, string[]]>> = {
  purple: ['red and blue', ['blue and red']],
  green: ['blue and yellow', ['yellow and blue']],
};

type Make = (scene: Scene) => KnowledgeQuestion | null;

const KINDS: Make[] = [
  (scene) => {
    const corners = CORNERS[scene.shape];
    return {
      question: scene.count === 1 ? 'How many sides does this shape have?' : 'How many sides does each of these shapes have?',
      answer: String(corners),
      questionType: 'nine',
      nearMisses: corners === 0 ? ['none', '1'] : [String(corners + 1)],
    };
  },
  (scene) => {
    const [solid, misses] = SOLIDS[scene.shape];
    return { question: 'What do you call the 3d version of this shape?', answer: solid, questionType: 'nine', nearMisses: misses };
  },
  (scene) => {
    const fruit = FRUITS[scene.color];
    if (!fruit) return null;
    const these = scene.count === 1 ? 'this shape' : 'these shapes';
    return { question: `What fruit is usually the color of ${these}?`, answer: fruit[0], questionType: 'five', nearMisses: fruit[1] };
  },
  (scene) => {
    const mix = PRIMARY_MIXES[scene.color];
    if (!mix) return null;
    return { question: 'Which two primary colors mix to make this color?', answer: mix[0], questionType: 'nine', nearMisses: mix[1] };
  },
  (scene) => {
    const total = CORNERS[scene.shape] * scene.count;
    const one = scene.count === 1;
    return {
      question: one ? 'How many corners does this shape have?' : 'How many corners do these shapes have altogether?',
      answer: String(total),
      questionType: 'nine',
      nearMisses: total === 0 ? ['none'] : [String(CORNERS[scene.shape])].filter((n) => n !== String(total)),
    };
  },
];

/** The `turn`-th applicable question for the scene, cycling through the kinds that apply. */
export function knowledgeQuestion(scene: Scene, turn: number): KnowledgeQuestion {
  const applicable = KINDS.map((make) => make(scene)).filter((q): q is KnowledgeQuestion => q !== null);
  return applicable[turn % applicable.length];
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** What an annotator typed before OK-VQA normalised it ("Apples", "an apple", "three" for "apple", "3"). */
export function rawAnswer(answer: string, next: () => number): string {
  const u = next();
  if (/^\d+$/.test(answer)) return u < 0.5 ? NUMBER_WORDS[Number(answer)] ?? answer : answer;
  if (answer.includes(' ')) return u < 0.3 ? `${answer[0].toUpperCase()}${answer.slice(1)}` : answer;
  if (u < 0.25) return `${answer[0].toUpperCase()}${answer.slice(1)}`;
  if (u < 0.45) return `${/^[aeiou]/.test(answer) ? 'an' : 'a'} ${answer}`;
  if (u < 0.6) return `${answer}s`;
  return answer;
}
