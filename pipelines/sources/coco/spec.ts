/**
 * COCO 2014 images and captions with Karpathy's split, producing `coco-caption`.
 *
 * Record choice: one record per image in every split, with all of the image's reference captions
 * in `answers` (5 for most images, up to 7) and equal weights. For training the formatter picks one
 * caption per draw; keeping the image as the unit keeps the sampler's dataset size in images,
 * which is how the paper counts COCO Caption. Karpathy's `restval` images are part of `train`.
 *
 * Checksums: no sha256 is published for any of these files. Known MD5s, for the record:
 * train2014.zip 0da8c0bd3d6becc4dcb32757491aca88, val2014.zip a3d79f5ed8d289b7a7554ce06a5782b3
 * (LAVIS download_coco.py comments); LAVIS coco_karpathy_train.json aa31ac474cf6250ebb81d18348a07ed8,
 * _val.json b273847456ef5580e33713b1f7de52a0, _test.json 3ff34b0ef2db02d01c37399f6a2a6cd1
 * (LAVIS defaults_cap.yaml). sha256 stays unset until a real download is measured.
 */
import type { SourceSpec } from '../types.ts';

const LAVIS = 'https://storage.googleapis.com/sfr-vision-language-research/datasets';

export const spec: SourceSpec = {
  source: 'coco',
  version: '1',
  datasets: ['coco-caption'],
  files: [
    {
      path: 'train2014.zip',
      url: 'http://images.cocodataset.org/zips/train2014.zip',
      description: '82,783 training images, entries train2014/COCO_train2014_%012d.jpg',
    },
    {
      path: 'val2014.zip',
      url: 'http://images.cocodataset.org/zips/val2014.zip',
      description: '40,504 validation images; Karpathy val, test and restval all come from here',
    },
    {
      path: 'caption_datasets.zip',
      url: 'http://cs.stanford.edu/people/karpathy/deepimagesent/caption_datasets.zip',
      optional: true,
      description: "Karpathy's split: dataset_coco.json (images with split train/restval/val/test and their sentences); "
        + 'needed unless the LAVIS coco_karpathy_*.json files are present',
    },
    {
      path: 'annotations_trainval2014.zip',
      url: 'http://images.cocodataset.org/annotations/annotations_trainval2014.zip',
      optional: true,
      description: 'official COCO annotations (annotations/captions_{train,val}2014.json); coco-caption reads the '
        + 'same captions from the Karpathy file, other COCO-based sources may read these',
    },
    {
      path: 'train2017.zip',
      url: 'http://images.cocodataset.org/zips/train2017.zip',
      optional: true,
      description: '118,287 images named train2017/%012d.jpg; the same pictures as 2014, regrouped (A-OKVQA names these)',
    },
    {
      path: 'val2017.zip',
      url: 'http://images.cocodataset.org/zips/val2017.zip',
      optional: true,
      description: '5,000 images named val2017/%012d.jpg',
    },
    {
      path: 'coco_karpathy_train.json',
      url: `${LAVIS}/coco_karpathy_train.json`,
      optional: true,
      description: 'LAVIS layout: one record per caption {caption, image, image_id}, train plus restval',
    },
    {
      path: 'coco_karpathy_val.json',
      url: `${LAVIS}/coco_karpathy_val.json`,
      optional: true,
      description: 'LAVIS layout: one record per image {image, caption: [...]}',
    },
    {
      path: 'coco_karpathy_test.json',
      url: `${LAVIS}/coco_karpathy_test.json`,
      optional: true,
      description: 'LAVIS layout: one record per image {image, caption: [...]}',
    },
  ],
  expected: {
    'coco-caption': { train: 113287, val: 5000, test: 5000 },
  },
};
