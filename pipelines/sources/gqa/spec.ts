/**
 * GQA (Hudson & Manning 2019), balanced test-dev: compositional questions about attributes and
 * relations in Visual Genome images, one short answer each (scored by exact-match accuracy).
 * Formats: research/dataset-formats.md A8. No checksums are published.
 *
 * Layouts, told apart by the data: the official questions1.2.zip holds
 * testdev_balanced_questions.json as an object keyed by question id; LAVIS re-hosts a file of the
 * same name as an array of {image, question, question_id, answer}.
 *
 * License: CC BY 4.0 (recalled, research A8). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

export const QUESTIONS_ZIP = 'questions1.2.zip';
export const QUESTIONS_FILE = 'testdev_balanced_questions.json';
export const IMAGES_ZIP = 'images.zip';
export const imageMember = (imageId: string) => `images/${imageId}.jpg`;

export const spec: SourceSpec = {
  source: 'gqa',
  version: '1',
  datasets: ['gqa'],
  files: [
    {
      path: QUESTIONS_ZIP,
      url: 'https://downloads.cs.stanford.edu/nlp/data/gqa/questions1.2.zip',
      description: 'all GQA questions (about 1.4 GB); the adapter reads testdev_balanced_questions.json inside it',
    },
    {
      path: IMAGES_ZIP,
      url: 'https://downloads.cs.stanford.edu/nlp/data/gqa/images.zip',
      description: 'all GQA images (20.3 GB), images/<imageId>.jpg',
    },
    {
      path: QUESTIONS_FILE,
      url: `https://storage.googleapis.com/sfr-vision-language-research/LAVIS/datasets/gqa/${QUESTIONS_FILE}`,
      optional: true,
      description: 'LAVIS test-dev balanced questions, an array of {image, question, question_id, answer}; read when questions1.2.zip is absent',
    },
  ],
  // testdev_balanced: 12,578 questions (HF card Mineru/GQA; LLaVA's copy has the same count).
  expected: { gqa: { testdev: 12_578 } },
};
