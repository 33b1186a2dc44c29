/**
 * The 26 datasets of the InstructBLIP mixture (Dai et al. 2023, §2.1 and Appendix Table 4).
 * `source` names the raw-source folder under pipelines/sources/ that produces the dataset:
 * the question-generation sets derive from their parent's raw files, and the three LLaVA
 * subsets share one download.
 */

export type TaskCategory =
  | 'image-captioning'
  | 'image-captioning-reading'
  | 'visual-reasoning'
  | 'image-qa'
  | 'knowledge-qa'
  | 'image-qa-reading'
  | 'image-question-generation'
  | 'video-qa'
  | 'visual-conversational-qa'
  | 'image-classification'
  | 'llava-instruct';

export type Task =
  | 'caption'
  | 'vqa'
  | 'vqg'
  | 'multiple-choice'
  | 'true-false'
  | 'dialog'
  | 'classification'
  | 'conversation';

export interface DatasetInfo {
  id: string;
  title: string;
  category: TaskCategory;
  task: Task;
  heldOut: boolean;
  source: string;
  /** Splits the paper uses: training splits for held-in sets, the evaluation split for held-out sets. */
  trainSplits: string[];
  evalSplits: string[];
  license: string;
  citation: string;
  homepage: string;
}

const COCO_LICENSE = 'annotations CC BY 4.0; images under the Flickr terms of use';

export const CATALOG: readonly DatasetInfo[] = [
  {
    id: 'coco-caption', title: 'COCO Caption (Karpathy split)', category: 'image-captioning', task: 'caption',
    heldOut: false, source: 'coco', trainSplits: ['train'], evalSplits: ['val', 'test'], license: COCO_LICENSE,
    citation: 'Chen et al. 2015, Microsoft COCO Captions; Karpathy & Fei-Fei 2015 (splits)',
    homepage: 'https://cocodataset.org',
  },
  {
    id: 'web-capfilt', title: 'Web CapFilt (BLIP synthetic web captions)', category: 'image-captioning', task: 'caption',
    heldOut: false, source: 'capfilt', trainSplits: ['train'], evalSplits: [],
    license: 'BSD-3-Clause (BLIP); images under CC3M/CC12M/SBU terms',
    citation: 'Li et al. 2022, BLIP', homepage: 'https://github.com/salesforce/BLIP',
  },
  {
    id: 'textcaps', title: 'TextCaps', category: 'image-captioning-reading', task: 'caption',
    heldOut: false, source: 'textcaps', trainSplits: ['train'], evalSplits: ['val'], license: 'CC BY 4.0',
    citation: 'Sidorov et al. 2020, TextCaps', homepage: 'https://textvqa.org/textcaps',
  },
  {
    id: 'vqav2', title: 'VQAv2', category: 'image-qa', task: 'vqa',
    heldOut: false, source: 'vqav2', trainSplits: ['train'], evalSplits: ['val'], license: COCO_LICENSE,
    citation: 'Goyal et al. 2017, VQA v2', homepage: 'https://visualqa.org',
  },
  {
    id: 'okvqa', title: 'OK-VQA', category: 'knowledge-qa', task: 'vqa',
    heldOut: false, source: 'okvqa', trainSplits: ['train'], evalSplits: ['val'], license: 'not stated; COCO images',
    citation: 'Marino et al. 2019, OK-VQA', homepage: 'https://okvqa.allenai.org',
  },
  {
    id: 'aokvqa', title: 'A-OKVQA', category: 'knowledge-qa', task: 'vqa',
    heldOut: false, source: 'aokvqa', trainSplits: ['train'], evalSplits: ['val'], license: 'Apache-2.0 (repository); COCO images',
    citation: 'Schwenk et al. 2022, A-OKVQA', homepage: 'https://allenai.org/project/a-okvqa',
  },
  {
    id: 'ocrvqa', title: 'OCR-VQA', category: 'image-qa-reading', task: 'vqa',
    heldOut: false, source: 'ocrvqa', trainSplits: ['train'], evalSplits: ['val', 'test'], license: 'not stated; book covers from Amazon URLs',
    citation: 'Mishra et al. 2019, OCR-VQA', homepage: 'https://ocr-vqa.github.io',
  },
  {
    id: 'vqav2-qg', title: 'VQAv2 question generation', category: 'image-question-generation', task: 'vqg',
    heldOut: false, source: 'vqav2', trainSplits: ['train'], evalSplits: ['val'], license: COCO_LICENSE,
    citation: 'Goyal et al. 2017; reformulated by Dai et al. 2023', homepage: 'https://visualqa.org',
  },
  {
    id: 'okvqa-qg', title: 'OK-VQA question generation', category: 'image-question-generation', task: 'vqg',
    heldOut: false, source: 'okvqa', trainSplits: ['train'], evalSplits: ['val'], license: 'not stated; COCO images',
    citation: 'Marino et al. 2019; reformulated by Dai et al. 2023', homepage: 'https://okvqa.allenai.org',
  },
  {
    id: 'aokvqa-qg', title: 'A-OKVQA question generation', category: 'image-question-generation', task: 'vqg',
    heldOut: false, source: 'aokvqa', trainSplits: ['train'], evalSplits: ['val'], license: 'Apache-2.0 (repository); COCO images',
    citation: 'Schwenk et al. 2022; reformulated by Dai et al. 2023', homepage: 'https://allenai.org/project/a-okvqa',
  },
  {
    id: 'llava-conversation', title: 'LLaVA-Instruct-150K: conversation (58K)', category: 'llava-instruct', task: 'conversation',
    heldOut: false, source: 'llava', trainSplits: ['train'], evalSplits: [], license: 'CC BY 4.0; OpenAI terms of use apply',
    citation: 'Liu et al. 2023, Visual Instruction Tuning', homepage: 'https://llava-vl.github.io',
  },
  {
    id: 'llava-detail', title: 'LLaVA-Instruct-150K: detailed description (23K)', category: 'llava-instruct', task: 'conversation',
    heldOut: false, source: 'llava', trainSplits: ['train'], evalSplits: [], license: 'CC BY 4.0; OpenAI terms of use apply',
    citation: 'Liu et al. 2023, Visual Instruction Tuning', homepage: 'https://llava-vl.github.io',
  },
  {
    id: 'llava-reasoning', title: 'LLaVA-Instruct-150K: complex reasoning (77K)', category: 'llava-instruct', task: 'conversation',
    heldOut: false, source: 'llava', trainSplits: ['train'], evalSplits: [], license: 'CC BY 4.0; OpenAI terms of use apply',
    citation: 'Liu et al. 2023, Visual Instruction Tuning', homepage: 'https://llava-vl.github.io',
  },
  {
    id: 'nocaps', title: 'NoCaps', category: 'image-captioning', task: 'caption',
    heldOut: true, source: 'nocaps', trainSplits: [], evalSplits: ['val'], license: 'not stated; Open Images CC BY 2.0',
    citation: 'Agrawal et al. 2019, nocaps', homepage: 'https://nocaps.org',
  },
  {
    id: 'flickr30k', title: 'Flickr30K (Karpathy split)', category: 'image-captioning', task: 'caption',
    heldOut: true, source: 'flickr30k', trainSplits: [], evalSplits: ['test'], license: 'Flickr terms; non-commercial research',
    citation: 'Young et al. 2014, Flickr30k', homepage: 'https://shannon.cs.illinois.edu/DenotationGraph/',
  },
  {
    id: 'gqa', title: 'GQA (balanced test-dev)', category: 'visual-reasoning', task: 'vqa',
    heldOut: true, source: 'gqa', trainSplits: [], evalSplits: ['testdev'], license: 'CC BY 4.0',
    citation: 'Hudson & Manning 2019, GQA', homepage: 'https://cs.stanford.edu/people/dorarad/gqa/',
  },
  {
    id: 'vsr', title: 'Visual Spatial Reasoning (zero-shot split)', category: 'visual-reasoning', task: 'true-false',
    heldOut: true, source: 'vsr', trainSplits: [], evalSplits: ['test'], license: 'Apache-2.0 (repository); COCO images',
    citation: 'Liu et al. 2023, Visual Spatial Reasoning', homepage: 'https://github.com/cambridgeltl/visual-spatial-reasoning',
  },
  {
    id: 'iconqa', title: 'IconQA (multiple-choice image)', category: 'visual-reasoning', task: 'multiple-choice',
    heldOut: true, source: 'iconqa', trainSplits: [], evalSplits: ['test'], license: 'CC BY-SA 4.0 / CC BY-NC-SA 4.0 (README contradicts itself)',
    citation: 'Lu et al. 2021, IconQA', homepage: 'https://iconqa.github.io',
  },
  {
    id: 'vizwiz', title: 'VizWiz-VQA', category: 'image-qa', task: 'vqa',
    heldOut: true, source: 'vizwiz', trainSplits: [], evalSplits: ['val'], license: 'CC BY 4.0',
    citation: 'Gurari et al. 2018, VizWiz Grand Challenge', homepage: 'https://vizwiz.org',
  },
  {
    id: 'scienceqa', title: 'ScienceQA (image context)', category: 'knowledge-qa', task: 'multiple-choice',
    heldOut: true, source: 'scienceqa', trainSplits: [], evalSplits: ['test'], license: 'CC BY-NC-SA 4.0',
    citation: 'Lu et al. 2022, Learn to Explain (ScienceQA)', homepage: 'https://scienceqa.github.io',
  },
  {
    id: 'textvqa', title: 'TextVQA', category: 'image-qa-reading', task: 'vqa',
    heldOut: true, source: 'textvqa', trainSplits: [], evalSplits: ['val'], license: 'CC BY 4.0',
    citation: 'Singh et al. 2019, Towards VQA Models That Can Read', homepage: 'https://textvqa.org',
  },
  {
    id: 'msvd-qa', title: 'MSVD-QA', category: 'video-qa', task: 'vqa',
    heldOut: true, source: 'msvd-qa', trainSplits: [], evalSplits: ['test'], license: 'not verified',
    citation: 'Xu et al. 2017, Video QA via gradually refined attention', homepage: 'https://github.com/xudejing/video-question-answering',
  },
  {
    id: 'msrvtt-qa', title: 'MSRVTT-QA', category: 'video-qa', task: 'vqa',
    heldOut: true, source: 'msrvtt-qa', trainSplits: [], evalSplits: ['test'], license: 'not verified',
    citation: 'Xu et al. 2017, Video QA via gradually refined attention', homepage: 'https://github.com/xudejing/video-question-answering',
  },
  {
    id: 'ivqa', title: 'iVQA (instructional video QA)', category: 'video-qa', task: 'vqa',
    heldOut: true, source: 'ivqa', trainSplits: [], evalSplits: ['test'], license: 'Apache-2.0 (code); data not verified',
    citation: 'Yang et al. 2021, Just Ask', homepage: 'https://antoyang.github.io/just-ask.html',
  },
  {
    id: 'visdial', title: 'Visual Dialog v1.0', category: 'visual-conversational-qa', task: 'dialog',
    heldOut: true, source: 'visdial', trainSplits: [], evalSplits: ['val'], license: 'CC BY 4.0',
    citation: 'Das et al. 2017, Visual Dialog', homepage: 'https://visualdialog.org',
  },
  {
    id: 'hateful-memes', title: 'Hateful Memes', category: 'image-classification', task: 'classification',
    heldOut: true, source: 'hateful-memes', trainSplits: [], evalSplits: ['dev'], license: 'Hateful Memes dataset license (research only)',
    citation: 'Kiela et al. 2020, The Hateful Memes Challenge', homepage: 'https://hatefulmemeschallenge.com',
  },
];

const BY_ID = new Map(CATALOG.map((d) => [d.id, d]));

export function datasetInfo(id: string): DatasetInfo {
  const info = BY_ID.get(id);
  if (!info) {
    throw new Error(`unknown dataset "${id}"; known: ${CATALOG.map((d) => d.id).join(', ')}`);
  }
  return info;
}

export const HELD_IN_IDS = CATALOG.filter((d) => !d.heldOut).map((d) => d.id);
export const HELD_OUT_IDS = CATALOG.filter((d) => d.heldOut).map((d) => d.id);
