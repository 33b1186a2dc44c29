/**
 * VizWiz-style questions about a sample scene, each with ten annotator answers that are true of
 * the image (the disagreeing annotators give a true alternative phrasing or "unanswerable", as
 * VizWiz annotators do when a photo is hard to judge). Questions about things the photo does not
 * show are unanswerable.
 */
import { humanAnswers } from '../../sample/human-answers.ts';
import { COUNT_WORDS, plural, randomScene, SHAPE_NAMES, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

export type VizwizAnswerType = 'other' | 'yes/no' | 'number' | 'unanswerable';

export interface VizwizAnswer {
  answer: string;
  answer_confidence: 'yes' | 'maybe' | 'no';
}

export interface VizwizQuestion {
  scene: Scene;
  question: string;
  answers: VizwizAnswer[];
  answer_type: VizwizAnswerType;
  answerable: 0 | 1;
}

/** Product labels a VizWiz user might hold up; at most 9 letters so one fits a 112-px line. */
export const LABEL_WORDS = ['SOUP', 'MILK', 'COFFEE', 'TEA', 'RICE', 'BEANS', 'PASTA', 'SALT', 'SUGAR', 'HONEY', 'JUICE', 'BREAD'];

export const VIZWIZ_KINDS = ['color', 'count', 'yes-no', 'read', 'unanswerable'] as const;
export type VizwizKind = (typeof VIZWIZ_KINDS)[number];

function tenAnswers(truth: string, alternatives: string[], next: () => number): VizwizAnswer[] {
  return humanAnswers(truth, alternatives, next).map((a) => ({ answer: a.answer, answer_confidence: a.confidence }));
}

export function vizwizQuestion(kind: VizwizKind, next: () => number): VizwizQuestion {
  const scene = randomScene(next, kind === 'read' ? [pick(next, LABEL_WORDS)] : undefined);
  const answerable = (question: string, answer_type: VizwizAnswerType, truth: string, alternatives: string[]): VizwizQuestion =>
    ({ scene, question, answers: tenAnswers(truth, alternatives, next), answer_type, answerable: 1 });
  switch (kind) {
    case 'color':
      return answerable(pick(next, ['What color is this?', 'Can you tell me what color this is?', 'What colour is the object?']),
        'other', scene.color, [`${scene.color} color`, 'unanswerable']);
    case 'count':
      return answerable(`How many ${plural({ ...scene, count: 2 })} are there?`, 'number', String(scene.count), [COUNT_WORDS[scene.count]]);
    case 'yes-no': {
      const asked = pick(next, SHAPE_NAMES);
      return answerable(`Is this a ${asked}?`, 'yes/no', asked === scene.shape ? 'yes' : 'no', []);
    }
    case 'read': {
      const word = scene.text![0].toLowerCase();
      return answerable(pick(next, ['What does this say?', 'What is this?', 'Can you read the label for me?']),
        'other', word, [`it says ${word}`, `${word} label`]);
    }
    case 'unanswerable':
      return {
        scene,
        question: pick(next, ['What is the expiration date on this?', 'What is the temperature on the thermostat?', 'Which channel is the TV on?']),
        answers: tenAnswers('unanswerable', ['unsuitable'], next),
        answer_type: 'unanswerable',
        answerable: 0,
      };
  }
}
