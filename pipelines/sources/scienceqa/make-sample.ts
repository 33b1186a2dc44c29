/**
 * The ScienceQA sample mirror: problems.json (keyed by pid, every field of the official file),
 * pid_splits.json, and test.zip with test/<pid>/image.png for the test problems that have an
 * image. Test also has text-only problems (skipped by the adapter's no-image rule), and train and
 * val have a few problems of their own (skipped as splits that are not evaluated).
 */
import path from 'node:path';
import { writeJson } from '../../sample/json-bytes.ts';
import { renderScene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { imageProblem, textProblem, type ScienceProblem } from './problems.ts';
import { IMAGES_ZIP, imageMember, PROBLEMS_FILE, SPLITS_FILE } from './spec.ts';

const BACKGROUND = sampleBackground('scienceqa');

export type SampleSplit = 'train' | 'val' | 'test';

export interface SampleProblem extends ScienceProblem {
  pid: string;
  split: SampleSplit;
}

/** Per split at scale 1: [image problems, text-only problems]. */
const SIZES: Record<SampleSplit, [number, number]> = { train: [2, 1], val: [2, 1], test: [16, 6] };

export function scienceqaSampleProblems(scale: number, seed: number): SampleProblem[] {
  const problems: SampleProblem[] = [];
  for (const [split, [withImage, textOnly]] of Object.entries(SIZES) as [SampleSplit, [number, number]][]) {
    const kinds: boolean[] = [...Array(withImage * scale).fill(true), ...Array(textOnly * scale).fill(false)];
    // Text-only problems are interleaved with image ones, as in the real file.
    const shuffle = rng(hash32(seed, 0x5c2, problems.length));
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
    }
    for (const hasImage of kinds) {
      const next = rng(hash32(seed, 0x5c1, problems.length));
      problems.push({ ...(hasImage ? imageProblem(next) : textProblem(next)), pid: String(problems.length + 1), split });
    }
  }
  return problems;
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const problems = scienceqaSampleProblems(scale, seed);
  writeJson(path.join(outDir, PROBLEMS_FILE), Object.fromEntries(problems.map((p) => [p.pid, {
    question: p.question, choices: p.choices, answer: p.answer, hint: p.hint, image: p.image, task: p.task,
    grade: p.grade, subject: p.subject, topic: p.topic, category: p.category, skill: p.skill,
    lecture: p.lecture, solution: p.solution, split: p.split,
  }])));
  const pids = (split: SampleSplit) => problems.filter((p) => p.split === split).map((p) => p.pid);
  writeJson(path.join(outDir, SPLITS_FILE), { train: pids('train'), val: pids('val'), test: pids('test') });
  const withImages = problems.filter((p) => p.split === 'test' && p.scene);
  await writeZip(path.join(outDir, IMAGES_ZIP), await Promise.all(withImages.map(async (p) => ({
    name: imageMember(p.pid, p.image!), data: await renderScene(p.scene!, { format: 'png', background: BACKGROUND }),
  }))));
};
