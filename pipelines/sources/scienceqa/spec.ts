/**
 * ScienceQA (Lu et al. 2022), test split, image-context subset: multiple-choice science questions
 * whose context includes a picture (2,017 of the 4,241 test problems). The paper's prompt gives
 * the textual context too; here `context` is the hint and the lecture. Formats:
 * research/dataset-formats.md A13. No checksums are published.
 *
 * License: CC BY-NC-SA 4.0 for the data (LICENSE-DATA), MIT for the code (research A13). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

const REPO = 'https://raw.githubusercontent.com/lupantech/ScienceQA/main/data/scienceqa';

export const PROBLEMS_FILE = 'problems.json';
export const SPLITS_FILE = 'pid_splits.json';
export const IMAGES_ZIP = 'test.zip';
/** test.zip unpacks to test/<pid>/<image> (image.png), the layout under data/scienceqa/images/. */
export const imageMember = (pid: string, image: string) => `test/${pid}/${image}`;

export const spec: SourceSpec = {
  source: 'scienceqa',
  version: '1',
  datasets: ['scienceqa'],
  files: [
    {
      path: PROBLEMS_FILE,
      url: `${REPO}/${PROBLEMS_FILE}`,
      description: 'all 21,208 problems keyed by pid: question, choices, answer (index), hint, image, lecture, solution, subject, ...',
    },
    {
      path: SPLITS_FILE,
      url: `${REPO}/${SPLITS_FILE}`,
      description: 'problem ids per split (train 12,726 / val 4,241 / test 4,241, and mini splits)',
    },
    {
      path: IMAGES_ZIP,
      url: 'https://scienceqa.s3.us-west-1.amazonaws.com/images/test.zip',
      description: 'test images, test/<pid>/image.png',
    },
  ],
  // Test problems with an image, counted against data/captions.json (research A13); LLaVA's
  // llava_test_CQM-A.json has the same 2,017.
  expected: { scienceqa: { test: 2017 } },
};
