/**
 * The IconQA sample mirror: iconqa_data.zip with test problems of all three sub-tasks (20
 * choose_txt, one choose_img, one fill_in_blank), each folder holding data.json and image.png,
 * and choice_<k>.png for choose_img. The archive's problems.json and pid_splits.json are left out:
 * the adapter reads the per-problem folders.
 */
import path from 'node:path';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { renderScene } from '../../sample/scene.ts';
import { writeZip, type ArchiveEntry } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { iconProblem, type IconProblem, type Subtask } from './problems.ts';
import { DATA_ZIP, problemDir } from './spec.ts';

const BACKGROUND = sampleBackground('iconqa');

export interface IconSampleProblem extends IconProblem {
  pid: string;
}

/** Sub-task per problem at scale 1: the skipped sub-tasks sit among the evaluated ones. */
const SUBTASKS: Subtask[] = [
  ...Array<Subtask>(7).fill('choose_txt'), 'choose_img', ...Array<Subtask>(6).fill('choose_txt'), 'fill_in_blank',
  ...Array<Subtask>(7).fill('choose_txt'),
];

export function iconqaSampleProblems(scale: number, seed: number): IconSampleProblem[] {
  return Array.from({ length: SUBTASKS.length * scale }, (_, k) => ({
    ...iconProblem(SUBTASKS[k % SUBTASKS.length], rng(hash32(seed, 0x1c0, k))),
    pid: String(10_000 + k * 17 + (hash32(seed, 0x1c0, k, 1) % 17)),
  }));
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const entries: ArchiveEntry[] = [];
  for (const p of iconqaSampleProblems(scale, seed)) {
    const dir = problemDir(p.ques_type, p.pid);
    const data = { question: p.question, choices: p.choices, answer: p.answer, ques_type: p.ques_type, grade: p.grade, label: p.label };
    entries.push({ name: `${dir}/data.json`, data: jsonBytes(data) });
    entries.push({ name: `${dir}/image.png`, data: await renderScene(p.scene, { format: 'png', background: BACKGROUND }) });
    for (const [k, scene] of p.choiceScenes.entries()) entries.push({ name: `${dir}/choice_${k}.png`, data: await renderScene(scene, { format: 'png', background: BACKGROUND }) });
  }
  await writeZip(path.join(outDir, DATA_ZIP), entries);
};
