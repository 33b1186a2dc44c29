/**
 * Sample content for TextCaps: short printed words (signs, shop fronts) and captions that read
 * them, as TextCaps annotators were asked to. Every caption is true of the rendered scene: the
 * words sit in the middle rows and the shapes above or below them.
 */
import { COUNT_WORDS, plural, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

/** Printable with the sample font (A-Z, 0-9) and at most 8 characters, so a word fits one line. */
export const SIGN_WORDS = [
  'STOP', 'OPEN', 'SALE', 'EXIT', 'CAFE', 'HOTEL', 'PIZZA', 'TAXI', 'BANK', 'PARK', 'BOOKS', 'MUSIC',
  'BAKERY', 'POLICE', 'SCHOOL', 'COFFEE', 'FRESH', 'FREE', 'HOME', 'CITY', 'ROAD', 'MARKET', 'GARAGE',
  'TICKETS', 'DINER', 'BAR', 'GIFTS', '24', '2019', 'BUS', 'BEACH', 'ZOO',
];

/** One or two distinct words, one per printed line. */
export function signWords(next: () => number): string[] {
  const first = pick(next, SIGN_WORDS);
  if (next() < 0.6) return [first];
  const rest = SIGN_WORDS.filter((w) => w !== first);
  return [first, pick(next, rest)];
}

function captionPool(scene: Scene): string[] {
  const text = (scene.text ?? []).join(' ').toLowerCase();
  const shapes = `${COUNT_WORDS[scene.count]} ${scene.color} ${plural(scene)}`;
  const side = scene.position === 'bottom' ? 'above' : 'below';
  const words = (scene.text ?? []).length > 1 ? 'the words' : 'the word';
  return [
    `a sign that says ${text} ${side} ${shapes}`,
    `${words} ${text} printed in white ${side} ${shapes}`,
    `${shapes} at the ${scene.position} and the text ${text} in the middle`,
    `white letters spelling ${text} on a dark background`,
    `a dark picture with ${text} written across the middle`,
    `a poster that reads ${text}`,
    `${text} in white capital letters with ${shapes} at the ${scene.position}`,
    `a black sign with ${words} ${text} and ${shapes}`,
  ];
}

/** `n` distinct captions of a scene with printed text, in random order. */
export function textCaptions(scene: Scene, n: number, next: () => number): string[] {
  const pool = captionPool(scene);
  if (n > pool.length) throw new Error(`asked for ${n} captions, only ${pool.length} phrasings exist`);
  const chosen: string[] = [];
  while (chosen.length < n) chosen.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
  return chosen;
}

