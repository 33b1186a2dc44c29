/**
 * VizWiz-VQA (Gurari et al. 2018), validation split: questions by blind users about their own
 * photos, ten answers each (VQA accuracy). Formats: research/dataset-formats.md A7.
 *
 * License: CC BY 4.0 (recalled, research A7). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

const BASE = 'https://vizwiz.cs.colorado.edu/VizWiz_final';

export const spec: SourceSpec = {
  source: 'vizwiz',
  version: '1',
  datasets: ['vizwiz'],
  files: [
    {
      path: 'Annotations.zip',
      url: `${BASE}/vqa_data/Annotations.zip`,
      description: 'VizWiz-VQA annotations: train.json, val.json, test.json (JSON arrays, 10 answers per train/val question)',
    },
    {
      path: 'val.zip',
      url: `${BASE}/images/val.zip`,
      description: 'validation images, VizWiz_val_%08d.jpg',
    },
    {
      path: 'val.json',
      url: 'https://storage.googleapis.com/sfr-xinstructblip-data-research/data/vizwiz/val.json',
      optional: true,
      description: 'X-InstructBLIP copy of val.json with the official keys; read when Annotations.zip is absent',
    },
  ],
  // Published split sizes; no checksums are published for VizWiz.
  expected: { vizwiz: { val: 4319 } },
};
