/**
 * IconQA-style problems about a sample scene, in the three sub-tasks of the real data.
 * choose_txt (the evaluated one) has text options; choose_img has picture options (choice_<k>.png)
 * and fill_in_blank a typed answer; the adapter skips those two by rule.
 */
import { COLOR_NAMES, randomScene, SHAPE_NAMES, type Scene } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';
import { shuffledOptions } from '../scienceqa/options.ts';

export type Subtask = 'choose_txt' | 'choose_img' | 'fill_in_blank';

export interface IconProblem {
  question: string;
  /** Option texts, or option image file names for choose_img; empty for fill_in_blank. */
  choices: string[];
  /** Index into choices, or the typed answer for fill_in_blank. */
  answer: number | string;
  ques_type: Subtask;
  grade: string;
  /** Skill code, as the real data.json has ("S2"). */
  label: string;
  scene: Scene;
  /** Scenes of choose_img's option pictures, in choice order. */
  choiceScenes: Scene[];
}

function chooseText(scene: Scene, next: () => number): IconProblem {
  const base = { ques_type: 'choose_txt' as const, grade: pick(next, ['grade1', 'grade2']), scene, choiceScenes: [] };
  const kind = pick(next, ['count', 'color', 'shape', 'side'] as const);
  switch (kind) {
    case 'count':
      return { ...base, label: 'S1', question: 'How many shapes are there?', ...shuffledOptions(String(scene.count), ['1', '2', '3'], 3, next) };
    case 'color':
      return { ...base, label: 'S2', question: 'What color are the shapes?', ...shuffledOptions(scene.color, COLOR_NAMES, 3, next) };
    case 'shape':
      return { ...base, label: 'S3', question: 'Which shape is this?', ...shuffledOptions(scene.shape, SHAPE_NAMES, 3, next) };
    case 'side': {
      const axis = scene.position === 'left' || scene.position === 'right' ? ['left', 'right'] : ['top', 'bottom'];
      return { ...base, label: 'S4', question: `Are the shapes on the ${axis[0]} or on the ${axis[1]}?`, ...shuffledOptions(scene.position, axis, 2, next) };
    }
  }
}

function chooseImage(scene: Scene, next: () => number): IconProblem {
  const other: Scene = { ...scene, color: pick(next, COLOR_NAMES.filter((c) => c !== scene.color)) };
  const rightFirst = next() < 0.5;
  return {
    question: `Which picture shows ${scene.color} ${scene.shape}s?`, choices: ['choice_0.png', 'choice_1.png'], answer: rightFirst ? 0 : 1,
    ques_type: 'choose_img', grade: 'grade1', label: 'S5', scene, choiceScenes: rightFirst ? [scene, other] : [other, scene],
  };
}

function fillInBlank(scene: Scene): IconProblem {
  return {
    question: `How many ${scene.shape}s are there? ___`, choices: [], answer: String(scene.count),
    ques_type: 'fill_in_blank', grade: 'grade1', label: 'S1', scene, choiceScenes: [],
  };
}

export function iconProblem(subtask: Subtask, next: () => number): IconProblem {
  const scene = randomScene(next);
  if (subtask === 'choose_img') return chooseImage(scene, next);
  if (subtask === 'fill_in_blank') return fillInBlank(scene);
  return chooseText(scene, next);
}
