/**
 * Visual Dialog v1.0 (Das et al. 2017), val: 2,064 images, each with a caption and a ten-round
 * dialog; every round has 100 candidate answers, ranked by the model and scored by MRR. Formats:
 * research/dataset-formats.md A19. LAVIS has no public URL for its copy; no checksums are
 * published. The dense relevance annotations (NDCG) are listed but not read: the paper reports MRR.
 *
 * License: CC BY 4.0 per the HF mirror metadata; the official page was not checked (research A19). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

export const DIALOGS_ZIP = 'visdial_1.0_val.zip';
export const DIALOGS_FILE = 'visdial_1.0_val.json';
export const IMAGES_ZIP = 'VisualDialog_val2018.zip';
export const imageMember = (imageId: number) => `VisualDialog_val2018/VisualDialog_val2018_${String(imageId).padStart(12, '0')}.jpg`;
export const ROUNDS = 10;
export const OPTIONS = 100;

export const spec: SourceSpec = {
  source: 'visdial',
  version: '1',
  datasets: ['visdial'],
  files: [
    {
      path: DIALOGS_ZIP,
      url: 'https://www.dropbox.com/s/ibs3a0zhw74zisc/visdial_1.0_val.zip?dl=1',
      description: `${DIALOGS_FILE}: {version, split, data: {questions, answers, dialogs: [{image_id, caption, dialog: [10 rounds]}]}}`,
    },
    {
      path: IMAGES_ZIP,
      url: 'https://www.dropbox.com/s/twmtutniktom7tu/VisualDialog_val2018.zip?dl=1',
      description: 'val images (about 331 MB), VisualDialog_val2018/VisualDialog_val2018_%012d.jpg',
    },
    {
      path: 'visdial_1.0_val_dense_annotations.json',
      url: 'https://www.dropbox.com/s/3knyk09ko4xekmc/visdial_1.0_val_dense_annotations.json?dl=1',
      optional: true,
      description: 'dense relevance of the 100 options for one round per image (NDCG); not used for MRR',
    },
  ],
  // 2,064 val dialogs of 10 rounds (HF card jxu124/visdial): one record per round.
  expected: { visdial: { val: 20_640 } },
};
