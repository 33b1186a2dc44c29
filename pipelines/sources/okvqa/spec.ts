/**
 * OK-VQA (Marino et al. 2019) on COCO 2014 images: `okvqa` and `okvqa-qg`.
 *
 * Records as for VQAv2 (vqav2/vqa-reader.ts): `answers` holds the ten listed answers (five
 * annotators, each listed twice, so the shares are those of the five), and an okvqa-qg record has
 * the target question in `question` and [most frequent answer] in `answers`, the template input.
 * `meta` keeps question_type, OK-VQA's knowledge category code.
 *
 * No checksums are published; sha256 stays unset. Counts are as recalled (9,009 / 5,046), unverified.
 */
import type { SourceSpec } from '../types.ts';

const OKVQA = 'https://okvqa.allenai.org/static/data';
const LAVIS = 'https://storage.googleapis.com/sfr-vision-language-research/LAVIS/datasets/okvqa';

export const spec: SourceSpec = {
  source: 'okvqa',
  version: '1',
  datasets: ['okvqa', 'okvqa-qg'],
  uses: ['coco'],
  files: [
    {
      path: 'OpenEnded_mscoco_train2014_questions.json.zip',
      url: `${OKVQA}/OpenEnded_mscoco_train2014_questions.json.zip`,
      optional: true,
      description: 'train questions (needed unless okvqa_train.json is present)',
    },
    {
      path: 'mscoco_train2014_annotations.json.zip',
      url: `${OKVQA}/mscoco_train2014_annotations.json.zip`,
      optional: true,
      description: 'train annotations, answers with raw_answer (needed unless okvqa_train.json is present)',
    },
    {
      path: 'OpenEnded_mscoco_val2014_questions.json.zip',
      url: `${OKVQA}/OpenEnded_mscoco_val2014_questions.json.zip`,
      description: 'val questions (or the extracted OpenEnded_mscoco_val2014_questions.json LAVIS re-hosts)',
    },
    {
      path: 'mscoco_val2014_annotations.json.zip',
      url: `${OKVQA}/mscoco_val2014_annotations.json.zip`,
      description: 'val annotations (or the extracted mscoco_val2014_annotations.json LAVIS re-hosts)',
    },
    {
      path: 'okvqa_train.json',
      url: `${LAVIS}/okvqa_train.json`,
      optional: true,
      description: 'LAVIS layout for train: [{question_id, question, answer: [...], image, ...}]',
    },
  ],
  expected: {
    okvqa: { train: 9009, val: 5046 },
    'okvqa-qg': { train: 9009, val: 5046 },
  },
};
