/**
 * Sample memes: a scene with a short printed text, and the text as the annotation gives it. The
 * real dataset's hateful memes are not reproduced. Label 1 stands in for "hateful" with plainly
 * rude but harmless phrases, label 0 with friendly ones, so a classifier can still learn the
 * difference from the printed words.
 */
import { randomScene, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

/** Lines of at most 9 characters, what fits a 112-px image in the sample font. */
const FRIENDLY = [['GOOD', 'MORNING'], ['HELLO', 'FRIEND'], ['BE KIND'], ['NICE HAT'], ['LOVE YOU'], ['HAPPY', 'MONDAY'], ['BEST DAY', 'EVER'], ['THANK YOU']];
const RUDE = [['GO AWAY'], ['YOU STINK'], ['NOBODY', 'LIKES YOU'], ['GET LOST'], ['SHUT UP'], ['YOU ARE', 'USELESS']];

export interface Meme {
  scene: Scene;
  /** The meme text, lower case, as the annotation files write it. */
  text: string;
  label: 0 | 1;
}

export function meme(rude: boolean, next: () => number): Meme {
  const lines = pick(next, rude ? RUDE : FRIENDLY);
  return { scene: randomScene(next, lines), text: lines.join(' ').toLowerCase(), label: rude ? 1 : 0 };
}
