/**
 * The candidate answers of the Visual Dialog sample: short answers of the kinds the dialogs use,
 * each tagged with what it means ("color:red", "yes", "count:2"), so that a round's 99 distractors
 * never include another way of giving its right answer.
 */
import { COLOR_NAMES, COUNT_WORDS, POSITIONS, SHAPE_NAMES } from '../../sample/scene.ts';

export interface PoolAnswer {
  text: string;
  tag: string;
}

const COUNTS = [1, 2, 3] as const;

function buildPool(): PoolAnswer[] {
  const pool: PoolAnswer[] = [];
  const add = (tag: string, ...texts: string[]) => texts.forEach((text) => pool.push({ text, tag }));
  for (const c of COLOR_NAMES) add(`color:${c}`, c, `it's ${c}`, `they are ${c}`, `${c} ones`, `mostly ${c}`);
  for (const n of COUNTS) add(`count:${n}`, COUNT_WORDS[n], String(n), `there are ${COUNT_WORDS[n]}`, `i see ${COUNT_WORDS[n]}`);
  add('count:1', 'just one', 'only one');
  for (const s of SHAPE_NAMES) add(`shape:${s}`, `${s}s`, `a ${s}`, `they are ${s}s`, `${s}s i think`);
  for (const p of POSITIONS) add(`position:${p}`, `on the ${p}`, `at the ${p}`, `${p} side`, `near the ${p}`);
  add('yes', 'yes', 'yes it is', 'yes they are', 'i think so', 'yes all the same');
  add('no', 'no', 'no it is not', 'no they are not', "i don't think so", 'no text', 'no just the shapes', 'nothing else');
  add('unsure', 'not sure', "i can't tell", 'maybe', 'hard to say');
  // Answers VisDial annotators give to other kinds of questions: never right here, plausible-looking.
  add('other', 'indoors', 'outdoors', 'daytime', 'no people', 'no animals', 'a little', 'not really', 'a few', 'on the table',
    'in the sky', 'wooden', 'metal', 'very small', 'pretty big', 'a dog', 'a man', 'white and blue', 'in a kitchen', 'on the street',
    'about 10', 'sunny', 'cloudy');
  return pool;
}

export const ANSWER_POOL: readonly PoolAnswer[] = buildPool();

/** The pool entry giving `text`; every right answer of a sample dialog must be one. */
export function poolAnswer(text: string): PoolAnswer {
  const found = ANSWER_POOL.find((a) => a.text === text);
  if (!found) throw new Error(`"${text}" is not in the Visual Dialog sample's answer pool`);
  return found;
}

/** `right` and `size - 1` distractors of other meanings, shuffled; returns the texts and where `right` is. */
export function answerOptions(right: PoolAnswer, size: number, next: () => number): { options: string[]; gtIndex: number } {
  const distractors = ANSWER_POOL.filter((a) => a.tag !== right.tag);
  if (distractors.length < size - 1) throw new Error(`the answer pool has only ${distractors.length} distractors for "${right.text}"`);
  const options = [right.text];
  const pool = [...distractors];
  while (options.length < size) options.push(pool.splice(Math.floor(next() * pool.length), 1)[0].text);
  for (let i = options.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [options[i], options[j]] = [options[j], options[i]];
  }
  return { options, gtIndex: options.indexOf(right.text) };
}
