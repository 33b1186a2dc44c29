/**
 * TextVQA-style questions about a sample scene with printed words: most ask to read the text, as
 * in the real set, a few ask about what surrounds it. Ten answers each; annotators who disagree
 * give a true but differently worded answer.
 */
import { humanAnswers } from '../../sample/human-answers.ts';
import { COUNT_WORDS, plural, randomScene, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';
import { signWords } from '../textcaps/sample-captions.ts';

export interface TextvqaQuestion {
  question: string;
  answers: string[];
}

export interface TextvqaImage {
  scene: Scene;
  questions: TextvqaQuestion[];
}

function ask(question: string, truth: string, alternatives: string[], next: () => number): TextvqaQuestion {
  return { question, answers: humanAnswers(truth, alternatives, next).map((a) => a.answer) };
}

function readingQuestion(scene: Scene, next: () => number): TextvqaQuestion {
  const words = scene.text!.map((w) => w.toLowerCase());
  if (words.length === 2 && next() < 0.5) {
    const [first, second] = words;
    return next() < 0.5
      ? ask('what is the first word on the sign?', first, [`${first} ${second}`], next)
      : ask('what word is written on the second line?', second, [`the word ${second}`], next);
  }
  const text = words.join(' ');
  return ask(pick(next, ['what does the sign say?', 'what is written in the middle?', 'what word is printed in white?']),
    text, [`${text} sign`, `the word ${text}`], next);
}

function surroundingQuestion(scene: Scene, next: () => number): TextvqaQuestion {
  const side = scene.position === 'top' ? 'above' : 'below';
  return next() < 0.5
    ? ask(`what color are the shapes ${side} the text?`, scene.color, [`${scene.color} ones`], next)
    : ask(`how many ${plural({ ...scene, count: 2 })} are ${side} the text?`, String(scene.count), [COUNT_WORDS[scene.count]], next);
}

/** One image and its one or two questions (TextVQA has about 1.6 per image). */
export function textvqaImage(next: () => number): TextvqaImage {
  const scene = randomScene(next, signWords(next));
  const questions = [readingQuestion(scene, next)];
  if (next() < 0.5) questions.push(surroundingQuestion(scene, next));
  return { scene, questions };
}
