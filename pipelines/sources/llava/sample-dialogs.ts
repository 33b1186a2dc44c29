/**
 * Sample LLaVA content about a COCO sample scene, in the three styles of LLaVA-Instruct: a
 * multi-turn conversation (colour, count, position, shape, presence), a detailed description,
 * and a reasoning answer that explains itself from what the image shows. Every answer is true of
 * the scene.
 */
import { COLOR_NAMES, plural, type Position, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';
import type { ConversationTurn } from '../../record.ts';
import { DETAIL_INSTRUCTIONS } from './subset-of.ts';

const NUMBER = ['zero', 'one', 'two', 'three', 'four'];
const WHERE: Record<Position, string> = {
  left: 'on the left side of the image',
  right: 'on the right side of the image',
  top: 'at the top of the image',
  bottom: 'at the bottom of the image',
};
const OPPOSITE: Record<Position, string> = { left: 'right side', right: 'left side', top: 'bottom', bottom: 'top' };

const capitalize = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/** "the two red circles" / "the red circle", with the verb form that agrees. */
function subject(scene: Scene): { noun: string; is: string; they: string } {
  const many = scene.count > 1;
  return {
    noun: `the ${many ? `${NUMBER[scene.count]} ` : ''}${scene.color} ${plural(scene)}`,
    is: many ? 'are' : 'is',
    they: many ? 'They' : 'It',
  };
}

type Exchange = [question: string, answer: string];

function exchanges(scene: Scene, next: () => number): Exchange[] {
  const { noun, is, they } = subject(scene);
  const shapes = plural(scene);
  const other = pick(next, COLOR_NAMES.filter((c) => c !== scene.color));
  const askPresent = next() < 0.5;
  return [
    [scene.count > 1 ? 'What color are the shapes in the image?' : `What color is the ${scene.shape} in the image?`,
      `${capitalize(scene.count > 1 ? `the ${shapes}` : `the ${scene.shape}`)} ${is} ${scene.color}.`],
    [`How many ${plural({ ...scene, count: 2 })} are there in the image?`,
      `There ${is} ${NUMBER[scene.count]} ${shapes} in the image.`],
    [`Where ${is} ${noun} located?`, `${they} ${is} ${WHERE[scene.position]}.`],
    [`What shape ${scene.count > 1 ? 'are the objects' : 'is the object'}?`,
      scene.count > 1 ? `They are ${shapes}.` : `It is a ${scene.shape}.`],
    askPresent
      ? [`Is there a ${scene.color} ${scene.shape} in the image?`, `Yes, there ${is} ${NUMBER[scene.count]} ${scene.color} ${shapes} ${WHERE[scene.position]}.`]
      : [`Is there a ${other} ${scene.shape} in the image?`,
        `No, there is no ${other} ${scene.shape}; the ${scene.count > 1 ? shapes : scene.shape} ${is} ${scene.color}.`],
  ];
}

/** `<image>` before the first question (with a newline), or after it, as the real data has both. */
function firstTurn(question: string, next: () => number): string {
  return next() < 0.5 ? `<image>\n${question}` : `${question}\n<image>`;
}

function turns(pairs: Exchange[], next: () => number): ConversationTurn[] {
  return pairs.flatMap(([q, a], i) => [
    { from: 'human', value: i === 0 ? firstTurn(q, next) : q },
    { from: 'gpt', value: a },
  ]);
}

export function conversation(scene: Scene, next: () => number): ConversationTurn[] {
  const pool = exchanges(scene, next);
  const chosen: Exchange[] = [];
  const n = 2 + Math.floor(next() * 2);
  while (chosen.length < n) chosen.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
  return turns(chosen, next);
}

export function detail(scene: Scene, next: () => number): ConversationTurn[] {
  const { noun } = subject(scene);
  const shapes = plural(scene);
  const layout = scene.count === 1
    ? `The ${scene.shape} stands alone, and the rest of the picture is empty.`
    : `The ${shapes} are the same size and are ${scene.position === 'left' || scene.position === 'right' ? 'stacked in a vertical column' : 'placed side by side in a row'}, evenly spaced.`;
  const description = `The image shows ${NUMBER[scene.count]} ${scene.color} ${shapes} ${WHERE[scene.position]}, against a plain dark background. `
    + `${layout} There is no text and no other object; ${noun} ${scene.count > 1 ? 'are' : 'is'} the only thing to see.`;
  return turns([[pick(next, DETAIL_INSTRUCTIONS), description]], next);
}

export function reasoning(scene: Scene, next: () => number): ConversationTurn[] {
  const { noun, is } = subject(scene);
  const shapes = plural(scene);
  const side = scene.position === 'top' || scene.position === 'bottom' ? scene.position : `${scene.position} side`;
  const options: Exchange[] = [
    ['Why might someone say this picture feels unbalanced?',
      `Because ${noun} ${is} ${scene.count > 1 ? 'all ' : ''}${WHERE[scene.position]}, the ${OPPOSITE[scene.position]} of the picture is empty, so the visual weight sits on the ${side}.`],
    [`If one more ${scene.shape} were added to the same group, how many would there be?`,
      `There would be ${NUMBER[scene.count + 1]} ${plural({ ...scene, count: 2 })}, since the image already shows ${NUMBER[scene.count]} ${scene.color} ${shapes} ${WHERE[scene.position]}.`],
    ['What would you change to make the picture symmetric?',
      `${capitalize(noun)} ${is} only ${WHERE[scene.position]}, so adding the same ${scene.color} ${shapes} on the ${OPPOSITE[scene.position]} would make the picture symmetric.`],
  ];
  return turns([pick(next, options)], next);
}
