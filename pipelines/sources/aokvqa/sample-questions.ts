/**
 * A-OKVQA-style questions: common-sense multiple choice with four options, ten direct answers
 * and three rationales, each settled by the scene (what object has that shape, what adding one
 * leaves, which fruit shares the colour, where to point).
 */
import { COUNT_WORDS, plural, type Scene, type ShapeName } from '../../sample/scene.ts';
import { FRUITS } from '../okvqa/sample-questions.ts';

export interface CommonSenseQuestion {
  question: string;
  /** Four options, the correct one among them. */
  choices: string[];
  correct: number;
  /** Direct answers disagree the way A-OKVQA's annotators do, around the correct choice. */
  nearMisses: string[];
  rationales: string[];
}

const LOOKALIKES: Record<ShapeName, [string, string[]]> = {
  circle: ['coin', ['wheel', 'plate']],
  square: ['chessboard', ['tile', 'box']],
  triangle: ['yield sign', ['slice of pizza', 'pyramid']],
};

const described = (scene: Scene) => `${COUNT_WORDS[scene.count]} ${scene.color} ${plural(scene)}`;

/** Four options: the answer and three distractors from `pool`, in an order set by `next`. */
function options(answer: string, pool: string[], next: () => number): { choices: string[]; correct: number } {
  const distractors = pool.filter((p) => p !== answer);
  const choices = [answer];
  while (choices.length < 4) choices.push(distractors.splice(Math.floor(next() * distractors.length), 1)[0]);
  const correct = Math.floor(next() * 4);
  [choices[0], choices[correct]] = [choices[correct], choices[0]];
  return { choices, correct };
}

function lookalike(scene: Scene, next: () => number): CommonSenseQuestion {
  const [object, misses] = LOOKALIKES[scene.shape];
  return {
    question: 'Which everyday object has the same shape as the items in this picture?',
    ...options(object, ['coin', 'chessboard', 'yield sign', 'banana', 'pencil'], next),
    nearMisses: misses,
    rationales: [
      `The picture shows ${described(scene)}.`,
      `A ${object} is shaped like a ${scene.shape}.`,
      `Of the options only the ${object} has that shape.`,
    ],
  };
}

function oneMore(scene: Scene, next: () => number): CommonSenseQuestion {
  const after = scene.count + 1;
  return {
    question: `If one more ${scene.shape} were added, how many ${scene.shape}s would there be?`,
    ...options(String(after), ['1', '2', '3', '4', '5'], next),
    nearMisses: [String(scene.count)],
    rationales: [
      `There ${scene.count === 1 ? 'is' : 'are'} ${COUNT_WORDS[scene.count]} ${plural(scene)} now.`,
      `Adding one gives ${after}.`,
      `${scene.count} plus one is ${after}.`,
    ],
  };
}

function fruitOfColor(scene: Scene, next: () => number): CommonSenseQuestion {
  const [fruit, misses] = FRUITS[scene.color]!;
  return {
    question: 'Which fruit has the same color as the shapes?',
    ...options(fruit, Object.values(FRUITS).map((f) => f![0]), next),
    nearMisses: misses,
    rationales: [`The shapes are ${scene.color}.`, `A ripe ${fruit} is ${scene.color}.`, `The ${fruit} is the ${scene.color} fruit among the options.`],
  };
}

function pointTo(scene: Scene, next: () => number): CommonSenseQuestion {
  const side = scene.position;
  return {
    question: `Which side of the picture would you point to if asked to find the ${scene.color} ${plural(scene)}?`,
    ...options(side, ['left', 'right', 'top', 'bottom'], next),
    nearMisses: [`${side} side`],
    rationales: [
      `The ${plural(scene)} are ${side === 'top' || side === 'bottom' ? 'at' : 'on'} the ${side}.`,
      'Nothing else is in the picture.',
      `So you would point to the ${side}.`,
    ],
  };
}

const KINDS: { applies: (scene: Scene) => boolean; make: (scene: Scene, next: () => number) => CommonSenseQuestion }[] = [
  { applies: () => true, make: lookalike },
  { applies: () => true, make: oneMore },
  // No fruit is white.
  { applies: (scene) => FRUITS[scene.color] !== undefined, make: fruitOfColor },
  { applies: () => true, make: pointTo },
];

/** The `turn`-th applicable question for the scene, cycling through the kinds that apply. */
export function commonSenseQuestion(scene: Scene, turn: number, next: () => number): CommonSenseQuestion {
  const applicable = KINDS.filter((kind) => kind.applies(scene));
  return applicable[turn % applicable.length].make(scene, next);
}

/** A-OKVQA's question ids are 22-character short UUIDs over this 57-letter alphabet. */
const ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function shortUuid(next: () => number): string {
  return Array.from({ length: 22 }, () => ID_ALPHABET[Math.floor(next() * ID_ALPHABET.length)]).join('');
}
