/**
 * Ten-round Visual Dialog conversations about a sample scene: the questioner sees only the caption
 * and asks about the hidden image; every answer is true of the scene. Questions are stored as
 * VisDial stores them, lower case without the question mark.
 */
import { COLOR_NAMES, COUNT_WORDS, describeScene, SHAPE_NAMES, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

export interface DialogRound {
  question: string;
  answer: string;
}

export function sceneDialog(scene: Scene, next: () => number): { caption: string; rounds: DialogRound[] } {
  const otherColor = pick(next, COLOR_NAMES.filter((c) => c !== scene.color));
  const askedShape = pick(next, SHAPE_NAMES);
  const several = scene.count > 1;
  const rounds: DialogRound[] = [
    { question: 'what color are the shapes', answer: pick(next, [scene.color, `they are ${scene.color}`]) },
    { question: 'how many shapes are there', answer: pick(next, [COUNT_WORDS[scene.count], String(scene.count)]) },
    { question: 'what shape are they', answer: `${scene.shape}s` },
    { question: 'where are they', answer: pick(next, [`on the ${scene.position}`, `at the ${scene.position}`]) },
    { question: 'is the background dark', answer: 'yes' },
    { question: `are there any ${otherColor} shapes`, answer: 'no' },
    { question: `is it a ${askedShape}`, answer: askedShape === scene.shape ? 'yes' : 'no' },
    { question: 'is there any text', answer: 'no' },
    several ? { question: 'are they all the same size', answer: 'yes all the same' } : { question: 'is there only one shape', answer: 'yes' },
    { question: 'is there anything else in the picture', answer: 'no just the shapes' },
  ];
  return { caption: describeScene(scene), rounds };
}
