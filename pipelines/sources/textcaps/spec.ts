/**
 * TextCaps (Sidorov et al. 2020): captions that read the text in Open Images photos. The images
 * and the Rosetta OCR tokens are TextVQA's; TextCaps train/val use the same images as TextVQA
 * train/val, so the TextVQA OCR file of the same split covers every TextCaps image.
 * Formats: research/dataset-formats.md A5 and A15.
 */
import type { SourceSpec } from '../types.ts';

const DATA = 'https://dl.fbaipublicfiles.com/textvqa/data';

export const SPLITS = ['train', 'val'] as const;
export type TextCapsSplit = (typeof SPLITS)[number];

export const captionsFile = (split: TextCapsSplit) => `TextCaps_0.1_${split}.json`;
export const ocrFile = (split: TextCapsSplit) => `TextVQA_Rosetta_OCR_v0.2_${split}.json`;
/** Holds `train_images/<image_id>.jpg` for train and val alike. */
export const IMAGES_ZIP = 'train_val_images.zip';
export const imageMember = (imageId: string) => `train_images/${imageId}.jpg`;

export const spec: SourceSpec = {
  source: 'textcaps',
  version: '1',
  datasets: ['textcaps'],
  files: [
    ...SPLITS.map((split) => ({
      path: captionsFile(split),
      url: `${DATA}/textcaps/${captionsFile(split)}`,
      description: `TextCaps ${split} captions: {dataset_type, dataset_name, dataset_version, data: [one item per caption]}`,
    })),
    ...SPLITS.map((split) => ({
      path: ocrFile(split),
      url: `${DATA}/${ocrFile(split)}`,
      description: `TextVQA Rosetta OCR tokens of the ${split} images: data: [{image_id, ocr_tokens, ocr_info}]`,
    })),
    {
      path: IMAGES_ZIP,
      url: 'https://dl.fbaipublicfiles.com/textvqa/images/train_val_images.zip',
      description: 'TextVQA/TextCaps train and val images (Open Images), train_images/<16-hex id>.jpg',
    },
  ],
  // One record per image. Image counts as recalled in research/dataset-formats.md A5 (not recounted):
  // 21,953 train images (109,765 captions) and 3,166 val images (15,830 captions).
  expected: { textcaps: { train: 21_953, val: 3_166 } },
};
