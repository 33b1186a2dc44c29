/**
 * Web CapFilt: BLIP's bootstrapped web captions (CapFilt, ViT-L captioner, CC3M + CC12M + SBU
 * images). InstructBLIP's "Web CapFilt 14M" is not pinned to one BLIP file anywhere; the
 * ccs_synthetic_filtered_large file is the plausible one (research/dataset-formats.md A2).
 */
import type { SourceSpec } from '../types.ts';

/** BLIP's file: a JSON array of {url, caption}; images exist only as URLs. */
export const BLIP_FILE = 'ccs_synthetic_filtered_large.json';
/** X-InstructBLIP's converted copy: a JSON array of {image: local path, caption}. */
export const LAVIS_FILE = 'annotation.json';
export const IMAGES_DIR = 'images';

export const spec: SourceSpec = {
  source: 'capfilt',
  version: '1',
  datasets: ['web-capfilt'],
  files: [
    {
      path: BLIP_FILE,
      url: `https://storage.googleapis.com/sfr-vision-language-research/BLIP/datasets/${BLIP_FILE}`,
      description: 'BLIP CapFilt synthetic captions (ViT-L captioner) of CC3M+CC12M+SBU images: [{url, caption}]',
    },
    {
      path: LAVIS_FILE,
      url: 'https://storage.googleapis.com/sfr-xinstructblip-data-research/data/capfilt14m/annotation.json',
      optional: true,
      description: 'X-InstructBLIP capfilt14m annotations with local image paths: [{image, caption}]; read when the BLIP file is absent',
    },
  ],
  // The count of LAVIS's capfilt14m annotation.json (its config comment); BLIP publishes no counts.
  expected: { 'web-capfilt': { train: 13_873_136 } },
};
