/**
 * A-OKVQA v1.0 (Schwenk et al. 2022): `aokvqa` and `aokvqa-qg`, on COCO 2017 images found by id
 * in whichever COCO archives raw/coco holds (2017 and 2014 hold the same pictures).
 *
 * QG convention (record-reader.ts): an aokvqa-qg record has the target question in `question`
 * and [correct choice] in `answers`, the template input; one per aokvqa record.
 * The test split has no answers and is not read. No checksum is published; counts are as
 * recalled (17,056 / 1,145), unverified.
 */
import type { SourceSpec } from '../types.ts';

const LAVIS = 'https://storage.googleapis.com/sfr-vision-language-research/LAVIS/datasets/aokvqa';

export const spec: SourceSpec = {
  source: 'aokvqa',
  version: '1',
  datasets: ['aokvqa', 'aokvqa-qg'],
  uses: ['coco'],
  files: [
    {
      path: 'aokvqa_v1p0.tar.gz',
      url: 'https://prior-datasets.s3.us-east-2.amazonaws.com/aokvqa/aokvqa_v1p0.tar.gz',
      optional: true,
      description: 'aokvqa_v1p0_{train,val,test}.json and vocabulary CSVs (needed unless the split JSONs are present)',
    },
    {
      path: 'aokvqa_v1p0_train.json',
      url: `${LAVIS}/aokvqa_v1p0_train.json`,
      optional: true,
      description: 'LAVIS copy of the train split (official fields plus an image path)',
    },
    {
      path: 'aokvqa_v1p0_val.json',
      url: `${LAVIS}/aokvqa_v1p0_val.json`,
      optional: true,
      description: 'LAVIS copy of the val split',
    },
  ],
  expected: {
    aokvqa: { train: 17056, val: 1145 },
    'aokvqa-qg': { train: 17056, val: 1145 },
  },
};
