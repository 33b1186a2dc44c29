/** Official OK-VQA file names per split (each JSON ships zipped alone), and LAVIS's train file. */
import type { VqaSplitFiles } from '../vqav2/files.ts';

export const OKVQA_FILES: VqaSplitFiles[] = [
  {
    split: 'train',
    questions: { archive: 'OpenEnded_mscoco_train2014_questions.json.zip', member: 'OpenEnded_mscoco_train2014_questions.json' },
    annotations: { archive: 'mscoco_train2014_annotations.json.zip', member: 'mscoco_train2014_annotations.json' },
    lavis: 'okvqa_train.json',
  },
  {
    split: 'val',
    questions: { archive: 'OpenEnded_mscoco_val2014_questions.json.zip', member: 'OpenEnded_mscoco_val2014_questions.json' },
    annotations: { archive: 'mscoco_val2014_annotations.json.zip', member: 'mscoco_val2014_annotations.json' },
  },
];
