/**
 * TextVQA 0.5.1 (Singh et al. 2019), validation split: questions that need reading text in Open
 * Images photos, ten answers each, and the Rosetta OCR tokens the paper's prompt lists
 * ("OCR tokens: {} Question: {} Short answer:"). Formats: research/dataset-formats.md A15.
 * No LAVIS file exists for TextVQA; no checksums are published.
 *
 * License: CC BY 4.0 (recalled, research A15); images from Open Images. catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

const DATA = 'https://dl.fbaipublicfiles.com/textvqa/data';

export const QUESTIONS_FILE = 'TextVQA_0.5.1_val.json';
export const OCR_FILE = 'TextVQA_Rosetta_OCR_v0.2_val.json';
/** TextVQA keeps val images with the train images: `train_images/<image_id>.jpg`. */
export const IMAGES_ZIP = 'train_val_images.zip';
export const imageMember = (imageId: string) => `train_images/${imageId}.jpg`;

export const spec: SourceSpec = {
  source: 'textvqa',
  version: '1',
  datasets: ['textvqa'],
  files: [
    {
      path: QUESTIONS_FILE,
      url: `${DATA}/${QUESTIONS_FILE}`,
      description: 'val questions: {dataset_type, dataset_name, dataset_version, data: [{question, image_id, answers (10), question_id, ...}]}',
    },
    {
      path: OCR_FILE,
      url: `${DATA}/${OCR_FILE}`,
      description: 'Rosetta OCR of the val images: data: [{image_id, ocr_tokens, ocr_info}]; the evaluation prompt needs the tokens',
    },
    {
      path: IMAGES_ZIP,
      url: 'https://dl.fbaipublicfiles.com/textvqa/images/train_val_images.zip',
      description: 'train and val images (Open Images), train_images/<16-hex image_id>.jpg',
    },
  ],
  // 5,000 val questions (LLaVA's copy of the file, research A15); 3,166 val images (recalled).
  expected: { textvqa: { val: 5000 } },
};
