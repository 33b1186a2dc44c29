/**
 * Flickr30K (Young et al. 2014) with Karpathy's split, test: 1,000 images with five captions each,
 * scored by CIDEr. Formats: research/dataset-formats.md A4.
 *
 * Layouts, told apart by the data: Karpathy's dataset_flickr30k.json (inside caption_datasets.zip,
 * or extracted beside it) is an object {images: [{filename, split, sentences, ...}]} holding every
 * split; LAVIS/BLIP's flickr30k_test.json is an array of {image, caption: [5]}. No checksums are
 * published for any of them.
 *
 * License: Flickr terms of use, non-commercial research (research A4). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

export const KARPATHY_ZIP = 'caption_datasets.zip';
export const KARPATHY_FILE = 'dataset_flickr30k.json';
export const LAVIS_FILE = 'flickr30k_test.json';
export const IMAGES_TAR = 'flickr30k-images.tar';
export const imageMember = (fileName: string) => `flickr30k-images/${fileName}`;

export const spec: SourceSpec = {
  source: 'flickr30k',
  version: '1',
  datasets: ['flickr30k'],
  files: [
    {
      path: KARPATHY_ZIP,
      url: 'http://cs.stanford.edu/people/karpathy/deepimagesent/caption_datasets.zip',
      description: "Karpathy's splits; the adapter reads dataset_flickr30k.json (29,000 train / 1,014 val / 1,000 test images)",
    },
    {
      path: IMAGES_TAR,
      url: 'http://shannon.cs.illinois.edu/DenotationGraph/data/flickr30k-images.tar',
      description: 'the 31,783 Flickr30K images, flickr30k-images/<id>.jpg; the Illinois page asks for a request form first',
    },
    {
      path: LAVIS_FILE,
      url: `https://storage.googleapis.com/sfr-vision-language-research/datasets/${LAVIS_FILE}`,
      optional: true,
      description: 'BLIP/LAVIS test captions, [{image: "flickr30k-images/<id>.jpg", caption: [5]}]; read when caption_datasets.zip is absent',
    },
  ],
  expected: { flickr30k: { test: 1000 } },
};
