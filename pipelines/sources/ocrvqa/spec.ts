/**
 * OCR-VQA (Mishra et al. 2019): questions about book covers whose answers are printed on the cover
 * or in the book's metadata. The annotations are one dict keyed by book id; the covers are only
 * URLs (Amazon), fetched as a URL list into images/<key><extension of the URL>.
 * Formats: research/dataset-formats.md A14.
 */
import type { SourceSpec } from '../types.ts';

/** The official file (Google Drive folder linked from the project page) and LAVIS's copy of the same dict. */
export const OFFICIAL_FILE = 'dataset.json';
export const LAVIS_FILE = 'ocrvqa.json';
export const IMAGES_DIR = 'images';

/** The dict's `split` codes. */
export const SPLIT_CODES: Record<number, string> = { 1: 'train', 2: 'val', 3: 'test' };

export const spec: SourceSpec = {
  source: 'ocrvqa',
  version: '1',
  datasets: ['ocrvqa'],
  files: [
    {
      path: OFFICIAL_FILE,
      url: 'https://ocr-vqa.github.io/',
      description: 'OCR-VQA dataset.json from the Google Drive folder linked on the project page (no direct URL): '
        + '{<book id>: {imageURL, questions, answers, title, authorName, genre, split}}',
    },
    {
      path: LAVIS_FILE,
      url: 'https://storage.googleapis.com/sfr-xinstructblip-data-research/data/ocrvqa/ocrvqa.json',
      optional: true,
      description: 'X-InstructBLIP (LAVIS) copy of the same dict, used when dataset.json is absent',
    },
  ],
  // 207,572 covers and 1,002,146 question-answer pairs in all (paper; LAVIS's config comment gives
  // the same 1,002,146). The per-split sizes are not published in any source read, so only the
  // total is known: see research/dataset-formats.md A14 and Part D.
  expected: { ocrvqa: {} },
};
