/**
 * VQAv2-style questions about a sample scene, each with its true answer and the near misses a few
 * annotators would give. Answers follow VQA's normalisation: lower case, digits for numbers.
 */
import { COLOR_NAMES, plural, POSITIONS, SHAPE_NAMES, type ColorName, type Scene, type ShapeName } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

export type AnswerType = 'yes/no' | 'number' | 'other';

export interface SceneQuestion {
  question: string;
  answer: string;
  /** VQA's question_type: the question's first words, from the dataset's fixed list of 65. */
  questionType: string;
  answerType: AnswerType;
  nearMisses: string[];
}

export const VQA_KINDS = ['color', 'count', 'shape', 'position', 'yes/no'] as const;
export type VqaKind = (typeof VQA_KINDS)[number];

const NEAR_COLORS: Record<ColorName, string[]> = {
  red: ['orange', 'pink'],
  green: ['lime', 'dark green'],
  blue: ['purple', 'navy'],
  yellow: ['orange', 'gold'],
  purple: ['blue', 'violet'],
  white: ['gray', 'silver'],
};

const NEAR_SHAPES: Record<ShapeName, string[]> = {
  circle: ['ball', 'oval', 'round'],
  square: ['rectangle', 'box'],
  triangle: ['pyramid', 'arrow'],
};

const POSITION_SYNONYMS: Record<Scene['position'], string[]> = {
  left: ['left side', 'on left'],
  right: ['right side', 'on right'],
  top: ['top side', 'up'],
  bottom: ['bottom side', 'down'],
};

const where = (position: Scene['position']) => (position === 'top' || position === 'bottom' ? `at the ${position}` : `on the ${position}`);

function colorQuestion(scene: Scene): SceneQuestion {
  const many = scene.count > 1;
  return {
    question: many ? `What color are the ${plural(scene)}?` : `What color is the ${scene.shape}?`,
    answer: scene.color,
    questionType: many ? 'what color are the' : 'what color is the',
    answerType: 'other',
    nearMisses: NEAR_COLORS[scene.color],
  };
}

function countQuestion(scene: Scene, next: () => number): SceneQuestion {
  const misses = [scene.count - 1, scene.count + 1].filter((n) => n > 0).map(String);
  return {
    question: next() < 0.5 ? `How many ${scene.shape}s are there?` : `How many ${scene.color} shapes are in the picture?`,
    answer: String(scene.count),
    questionType: 'how many',
    answerType: 'number',
    nearMisses: misses,
  };
}

function shapeQuestion(scene: Scene): SceneQuestion {
  const many = scene.count > 1;
  return {
    question: many ? `What shape are the ${scene.color} objects?` : `What shape is the ${scene.color} object?`,
    answer: scene.shape,
    questionType: 'what',
    answerType: 'other',
    nearMisses: NEAR_SHAPES[scene.shape],
  };
}

function positionQuestion(scene: Scene): SceneQuestion {
  const many = scene.count > 1;
  return {
    question: many ? `Where are the ${scene.color} ${plural(scene)}?` : `Where is the ${scene.color} ${scene.shape}?`,
    answer: scene.position,
    questionType: many ? 'where are the' : 'where is the',
    answerType: 'other',
    nearMisses: POSITION_SYNONYMS[scene.position],
  };
}

/** Half true, half false; a false one changes exactly one attribute of the scene. */
function yesNoQuestion(scene: Scene, next: () => number): SceneQuestion {
  const truth = next() < 0.5;
  const many = scene.count > 1;
  const variant = Math.floor(next() * 3);
  let question: string;
  let questionType: string;
  if (variant === 0) {
    const color = truth ? scene.color : pick(next, COLOR_NAMES.filter((c) => c !== scene.color));
    question = `Is there a ${color} ${scene.shape}?`;
    questionType = 'is there a';
  } else if (variant === 1) {
    const position = truth ? scene.position : pick(next, POSITIONS.filter((p) => p !== scene.position));
    question = many ? `Are the ${plural(scene)} ${where(position)}?` : `Is the ${scene.shape} ${where(position)}?`;
    questionType = many ? 'are the' : 'is the';
  } else {
    const shape = truth ? scene.shape : pick(next, SHAPE_NAMES.filter((s) => s !== scene.shape));
    question = many ? `Are the ${scene.color} objects ${shape}s?` : `Is the ${scene.color} object a ${shape}?`;
    questionType = many ? 'are the' : 'is the';
  }
  return { question, answer: truth ? 'yes' : 'no', questionType, answerType: 'yes/no', nearMisses: [truth ? 'no' : 'yes'] };
}

export function vqaQuestion(scene: Scene, kind: VqaKind, next: () => number): SceneQuestion {
  switch (kind) {
    case 'color': return colorQuestion(scene);
    case 'count': return countQuestion(scene, next);
    case 'shape': return shapeQuestion(scene);
    case 'position': return positionQuestion(scene);
    case 'yes/no': return yesNoQuestion(scene, next);
  }
}
