/**
 * Visual Spatial Reasoning (Liu et al. 2023), zero-shot split, test: statements about the spatial
 * relation of objects in a COCO 2017 image, labelled true (1) or false (0). Formats:
 * research/dataset-formats.md A9. The data lives in the VSR git repository; the URL is pinned to
 * the 2023-03-22 data commit (1,222 zero-shot test lines; the first release had 731, and which one
 * InstructBLIP used is unknown).
 *
 * Images are COCO's: VSR reads raw/coco through cocoImageRef, by the id in its 2017 file names.
 * This is a genuine overlap of a held-out dataset with held-in data (COCO Caption, VQAv2, OK-VQA,
 * A-OKVQA and LLaVA use the same COCO images), and the leakage report should show it.
 *
 * License: Apache-2.0 for the repository; images under COCO terms (research A9). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

const DATA_COMMIT = 'af55c2c21a85aa18aeea131a8b6778c8875f26cf';

export const TEST_FILE = 'data/splits/zeroshot/test.jsonl';

export const spec: SourceSpec = {
  source: 'vsr',
  version: '1',
  datasets: ['vsr'],
  uses: ['coco'],
  files: [
    {
      path: TEST_FILE,
      url: `https://raw.githubusercontent.com/cambridgeltl/visual-spatial-reasoning/${DATA_COMMIT}/${TEST_FILE}`,
      description: 'zero-shot test statements, one JSON object per line: {image, image_link, caption, label, relation, ...}',
    },
  ],
  expected: { vsr: { test: 1222 } },
};
