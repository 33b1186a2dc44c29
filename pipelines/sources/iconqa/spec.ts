/**
 * IconQA (Lu et al. 2021), test split, multiple-choice-text sub-task (`choose_txt`, 6,316
 * problems): abstract diagrams with a question and text options. The other sub-tasks (image
 * options, fill in the blank) are not in the paper's evaluation and are skipped by rule.
 * Formats: research/dataset-formats.md A10. No checksums are published.
 *
 * License: the README says both CC BY-SA 4.0 (badge) and CC BY-NC-SA 4.0 (text) (research A10). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

export const DATA_ZIP = 'iconqa_data.zip';
/** `iconqa_data/iconqa/<split>/<sub-task>/<pid>/data.json`, with image.png beside it. */
export const problemDir = (subtask: string, pid: string) => `iconqa_data/iconqa/test/${subtask}/${pid}`;
export const TEST_PROBLEM = /^iconqa_data\/iconqa\/test\/([^/]+)\/([^/]+)\/data\.json$/;

export const spec: SourceSpec = {
  source: 'iconqa',
  version: '1',
  datasets: ['iconqa'],
  files: [
    {
      path: DATA_ZIP,
      url: 'https://iconqa2021.s3.us-west-1.amazonaws.com/iconqa_data.zip',
      description: 'every problem as iconqa_data/iconqa/{train,val,test}/{choose_img,choose_txt,fill_in_blank}/<pid>/{data.json,image.png}',
    },
  ],
  // Test problems of the multi-text-choice sub-task (README table, research A10).
  expected: { iconqa: { test: 6316 } },
};
