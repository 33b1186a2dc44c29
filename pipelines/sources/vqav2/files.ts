/** Official VQAv2 file names per split, and LAVIS's re-hosted equivalents. */
import type { JsonLocation } from '../common/json-input.ts';

export interface VqaSplitFiles {
  split: 'train' | 'val';
  questions: JsonLocation;
  annotations: JsonLocation;
  /**
   * LAVIS's single-file layout for the split, [{question_id, question, answer: [...], image, dataset}],
   * where LAVIS has one (for OK-VQA val it re-hosts the official files extracted instead).
   */
  lavis?: string;
}

export const VQAV2_FILES: VqaSplitFiles[] = [
  {
    split: 'train',
    questions: { archive: 'v2_Questions_Train_mscoco.zip', member: 'v2_OpenEnded_mscoco_train2014_questions.json' },
    annotations: { archive: 'v2_Annotations_Train_mscoco.zip', member: 'v2_mscoco_train2014_annotations.json' },
    lavis: 'vqa_train.json',
  },
  {
    split: 'val',
    questions: { archive: 'v2_Questions_Val_mscoco.zip', member: 'v2_OpenEnded_mscoco_val2014_questions.json' },
    annotations: { archive: 'v2_Annotations_Val_mscoco.zip', member: 'v2_mscoco_val2014_annotations.json' },
    lavis: 'vqa_val.json',
  },
];
