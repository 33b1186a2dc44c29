/**
 * LLaVA-Instruct-150K (Liu et al. 2023): GPT-4 written conversations, detailed descriptions and
 * complex-reasoning answers about COCO train2017 images. One raw source, three catalog datasets;
 * the images are COCO's (raw/coco). Formats: research/dataset-formats.md A21.
 */
import type { SourceSpec } from '../types.ts';

const HF = 'https://huggingface.co/datasets/liuhaotian/LLaVA-Instruct-150K/resolve/main';

/** Each subset's own file, and the dataset it produces. */
export const SUBSET_FILES = [
  { dataset: 'llava-conversation', file: 'conversation_58k.json' },
  { dataset: 'llava-detail', file: 'detail_23k.json' },
  { dataset: 'llava-reasoning', file: 'complex_reasoning_77k.json' },
] as const;
/** The three subsets in one file: read only when none of the subset files is present. */
export const COMBINED_FILE = 'llava_instruct_150k.json';
export const SPLIT = 'train';

export const spec: SourceSpec = {
  source: 'llava',
  version: '1',
  datasets: SUBSET_FILES.map((s) => s.dataset),
  uses: ['coco'],
  files: [
    ...SUBSET_FILES.map(({ dataset, file }) => ({
      path: file,
      url: `${HF}/${file}`,
      description: `${dataset}: [{id, image: "%012d.jpg" (COCO train2017), conversations: [{from: human|gpt, value}]}]`,
    })),
    {
      path: COMBINED_FILE,
      url: `${HF}/${COMBINED_FILE}`,
      optional: true,
      description: 'the three subsets in one array (LAVIS llava150k reads this one); split by content when it is the only file',
    },
  ],
  // Nominal sizes from the paper and the file names (58K + 23K + 77K = 158K); the exact record
  // counts of the published files were not verified (research/dataset-formats.md A21, Part D).
  expected: {
    'llava-conversation': { train: 58_000 },
    'llava-detail': { train: 23_000 },
    'llava-reasoning': { train: 77_000 },
  },
};
