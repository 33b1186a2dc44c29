/**
 * VQAv2 (Goyal et al. 2017) on COCO 2014 images: `vqav2` and `vqav2-qg`.
 *
 * QG convention (vqa-reader.ts): a vqav2-qg record shares its image and question id with its
 * vqav2 parent; its `question` is the target question and `answers` is [consensus answer]
 * (multiple_choice_answer), the template input. Every annotated question gives one QG record,
 * yes/no ones included, so QG counts equal VQA counts. No second download: both come from the
 * same files. `answerWeights` of a vqav2 record gives each of the ten answers its share of the
 * annotators.
 *
 * No checksums are published for these files; sha256 stays unset until measured.
 */
import type { SourceSpec } from '../types.ts';

const VQA = 'https://s3.amazonaws.com/cvmlp/vqa/mscoco/vqa';
const LAVIS = 'https://storage.googleapis.com/sfr-vision-language-research/LAVIS/datasets/vqav2';

export const spec: SourceSpec = {
  source: 'vqav2',
  version: '1',
  datasets: ['vqav2', 'vqav2-qg'],
  uses: ['coco'],
  files: [
    {
      path: 'v2_Questions_Train_mscoco.zip',
      url: `${VQA}/v2_Questions_Train_mscoco.zip`,
      optional: true,
      description: 'v2_OpenEnded_mscoco_train2014_questions.json: 443,757 questions (needed unless vqa_train.json is present)',
    },
    {
      path: 'v2_Annotations_Train_mscoco.zip',
      url: `${VQA}/v2_Annotations_Train_mscoco.zip`,
      optional: true,
      description: 'v2_mscoco_train2014_annotations.json: 10 answers per question (needed unless vqa_train.json is present)',
    },
    {
      path: 'v2_Questions_Val_mscoco.zip',
      url: `${VQA}/v2_Questions_Val_mscoco.zip`,
      optional: true,
      description: 'v2_OpenEnded_mscoco_val2014_questions.json: 214,354 questions (needed unless vqa_val.json is present)',
    },
    {
      path: 'v2_Annotations_Val_mscoco.zip',
      url: `${VQA}/v2_Annotations_Val_mscoco.zip`,
      optional: true,
      description: 'v2_mscoco_val2014_annotations.json (needed unless vqa_val.json is present)',
    },
    {
      path: 'vqa_train.json',
      url: `${LAVIS}/vqa_train.json`,
      optional: true,
      description: 'LAVIS layout: [{question_id, question, answer: [...], image, dataset}] for train2014',
    },
    {
      path: 'vqa_val.json',
      url: `${LAVIS}/vqa_val.json`,
      optional: true,
      description: 'LAVIS layout for val2014 (LAVIS trains on it; here it is the val split)',
    },
  ],
  expected: {
    vqav2: { train: 443757, val: 214354 },
    'vqav2-qg': { train: 443757, val: 214354 },
  },
};
