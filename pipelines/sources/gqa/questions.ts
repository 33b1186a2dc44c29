/**
 * GQA-style questions about a sample scene, each with the fields of the official balanced files:
 * short and full answer, question types and the functional program that answers it. Questions ask
 * for attributes (colour, shape), relations to the image frame (side, top or bottom) and existence,
 * and every answer is true of the scene.
 */
import { COLOR_NAMES, randomScene, SHAPE_NAMES, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

export interface GqaStep {
  operation: string;
  dependencies: number[];
  argument: string;
}

export interface GqaQuestion {
  question: string;
  answer: string;
  fullAnswer: string;
  types: { structural: string; semantic: string; detailed: string };
  semantic: GqaStep[];
}

const step = (operation: string, argument: string, dependencies: number[] = []): GqaStep => ({ operation, dependencies, argument });
const shapes = (scene: Scene) => (scene.count === 1 ? scene.shape : `${scene.shape}s`);
const verb = (scene: Scene) => (scene.count === 1 ? 'is' : 'are');

type Template = (scene: Scene, next: () => number) => GqaQuestion;

const colorQuery: Template = (s) => ({
  question: `What color ${verb(s)} the ${shapes(s)}?`,
  answer: s.color,
  fullAnswer: `The ${shapes(s)} ${verb(s)} ${s.color}.`,
  types: { structural: 'query', semantic: 'attr', detailed: 'colorObj' },
  semantic: [step('select', `${s.shape} (1)`), step('query', 'color', [0])],
});

const colorVerify: Template = (s, next) => {
  const asked = pick(next, COLOR_NAMES);
  const yes = asked === s.color;
  return {
    question: `${verb(s) === 'is' ? 'Is' : 'Are'} the ${shapes(s)} ${asked}?`,
    answer: yes ? 'yes' : 'no',
    fullAnswer: yes ? `Yes, the ${shapes(s)} ${verb(s)} ${asked}.` : `No, the ${shapes(s)} ${verb(s)} ${s.color}.`,
    types: { structural: 'verify', semantic: 'attr', detailed: 'verifyAttrs' },
    semantic: [step('select', `${s.shape} (1)`), step('verify color', asked, [0])],
  };
};

const sideQuery: Template = (s) => {
  const horizontal = s.position === 'left' || s.position === 'right';
  return horizontal
    ? {
      question: `On which side of the image ${verb(s)} the ${shapes(s)}?`,
      answer: s.position,
      fullAnswer: `The ${shapes(s)} ${verb(s)} on the ${s.position} of the image.`,
      types: { structural: 'query', semantic: 'rel', detailed: 'positionQuery' },
      semantic: [step('select', `${s.shape} (1)`), step('query', 'hposition', [0])],
    }
    : {
      question: `${verb(s) === 'is' ? 'Is' : 'Are'} the ${shapes(s)} at the top or at the bottom of the picture?`,
      answer: s.position,
      fullAnswer: `The ${shapes(s)} ${verb(s)} at the ${s.position} of the picture.`,
      types: { structural: 'choose', semantic: 'rel', detailed: 'positionChoose' },
      semantic: [step('select', `${s.shape} (1)`), step('choose vposition', 'top|bottom', [0])],
    };
};

const existVerify: Template = (s, next) => {
  const asked = pick(next, SHAPE_NAMES);
  const yes = asked === s.shape;
  return {
    question: `Are there any ${asked}s in the image?`,
    answer: yes ? 'yes' : 'no',
    fullAnswer: yes ? `Yes, there ${verb(s)} ${s.count === 1 ? 'a' : 'some'} ${shapes(s)}.` : `No, there are no ${asked}s.`,
    types: { structural: 'verify', semantic: 'obj', detailed: 'existC' },
    semantic: [step('select', asked), step('exist', '?', [0])],
  };
};

const shapeQuery: Template = (s) => ({
  question: `Which kind of shape is ${s.color}?`,
  answer: s.shape,
  fullAnswer: `The ${s.color} shape is a ${s.shape}.`,
  types: { structural: 'query', semantic: 'cat', detailed: 'categoryThat' },
  semantic: [step('select', 'shape'), step('filter color', s.color, [0]), step('query', 'name', [1])],
});

const TEMPLATES: Template[] = [colorQuery, colorVerify, sideQuery, existVerify, shapeQuery];

export interface GqaImage {
  scene: Scene;
  questions: GqaQuestion[];
}

/** An image and three questions from distinct templates. */
export function gqaImage(next: () => number): GqaImage {
  const scene = randomScene(next);
  const pool = [...TEMPLATES];
  const questions: GqaQuestion[] = [];
  for (let k = 0; k < 3; k++) questions.push(pool.splice(Math.floor(next() * pool.length), 1)[0](scene, next));
  return { scene, questions };
}
