/**
 * One small, valid record per dataset, shaped as the adapters write them (see the record
 * conventions in pipelines/format/train.ts and eval.ts).
 */
import { CATALOG, datasetInfo } from '../../pipelines/catalog.ts';
import type { InstructRecord } from '../../pipelines/record.ts';

type Fields = Partial<Omit<InstructRecord, 'dataset' | 'task' | 'category' | 'heldOut'>>;

const CAPTIONS = ['A man riding a horse.', 'A person on a brown horse in a field.', 'Someone rides a horse near trees.'];
const VQA = { question: 'What animal is this?', answers: ['horse', 'horse', 'pony'], answerWeights: [] };

const FIELDS: Readonly<Record<string, Fields>> = {
  'coco-caption': { answers: CAPTIONS },
  'web-capfilt': { answers: ['a horse standing in a field'] },
  textcaps: { answers: ['A bottle of Coca-Cola on a table.', 'A red can that says coke.'], ocrTokens: ['coca-cola', 'classic', '12'] },
  vqav2: { question: 'How many horses are there?', answers: ['2', 'two', '2'], answerWeights: [0.6, 0.3, 0.1] },
  okvqa: VQA,
  aokvqa: {
    question: 'What is the man likely to do next?',
    answers: ['ride', 'ride away', 'dismount'],
    choices: ['ride', 'swim', 'cook', 'sleep'],
    answerIndex: 0,
  },
  ocrvqa: { question: 'Who wrote this book?', answers: ['Jane Austen'], ocrTokens: ['pride', 'and', 'prejudice', 'jane', 'austen'] },
  'vqav2-qg': { question: 'How many horses are there?', answers: ['2'] },
  'okvqa-qg': { question: 'What is this animal used for?', answers: ['riding'] },
  'aokvqa-qg': { question: 'What is the man likely to do next?', answers: ['ride'] },
  'llava-conversation': {
    conversation: [
      { from: 'human', value: '<image>\nWhat is the man doing?' },
      { from: 'gpt', value: 'He is riding a horse.' },
      { from: 'human', value: 'What color is the horse?' },
      { from: 'gpt', value: 'The horse is brown.' },
    ],
  },
  'llava-detail': {
    conversation: [
      { from: 'human', value: 'Describe the image in detail.\n<image>' },
      { from: 'gpt', value: 'A man rides a brown horse across a green field.\nTrees line the horizon.' },
    ],
  },
  'llava-reasoning': {
    conversation: [
      { from: 'human', value: '<image>\nWhy might the rider wear a helmet?' },
      { from: 'gpt', value: 'To protect his head in case he falls.' },
    ],
  },
  nocaps: { answers: CAPTIONS },
  flickr30k: { answers: CAPTIONS },
  gqa: { question: 'Is the horse to the left of the man?', answers: ['no'] },
  vsr: { question: 'The horse is under the man.', label: 1 },
  iconqa: { question: 'How many shapes are there?', choices: ['3', '4', '5'], answerIndex: 1 },
  vizwiz: { question: 'What is this can?', answers: ['coke', 'coke', 'soda'] },
  scienceqa: {
    question: 'Which animal is a mammal?',
    choices: ['horse', 'lizard'],
    answerIndex: 0,
    context: 'Mammals have fur and feed their young milk.',
  },
  textvqa: { question: 'What brand is this?', answers: ['coca-cola'], ocrTokens: ['coca-cola', 'classic'] },
  'msvd-qa': { question: 'what is the man riding?', answers: ['horse'] },
  'msrvtt-qa': { question: 'who is riding a horse?', answers: ['man'] },
  ivqa: { question: 'What tool is used?', answers: ['knife', 'knife', 'blade'] },
  visdial: {
    question: 'is it sunny',
    dialog: [{ question: 'is there a horse', answer: 'yes' }, { question: 'how many people', answer: 'one' }],
    choices: Array.from({ length: 100 }, (_, i) => (i === 7 ? 'yes it is' : `option ${i}`)),
    answerIndex: 7,
  },
  'hateful-memes': { context: 'look how many people love you', label: 0 },
};

/** A valid record of `dataset`, with `fields` overriding the fixture's. */
export function fixtureRecord(dataset: string, fields: Fields = {}, nativeId = '1'): InstructRecord {
  const info = datasetInfo(dataset);
  const split = info.heldOut ? info.evalSplits[0] : info.trainSplits[0];
  return {
    id: `${dataset}/${split}/${nativeId}`,
    dataset,
    task: info.task,
    category: info.category,
    split,
    heldOut: info.heldOut,
    images: ['0'.repeat(64)],
    question: null,
    answers: [],
    answerWeights: [],
    choices: [],
    answerIndex: null,
    context: null,
    ocrTokens: [],
    dialog: [],
    conversation: [],
    label: null,
    meta: null,
    sourceFile: 'fixture.json',
    sourceIndex: 0,
    sourceSha256: '0'.repeat(64),
    license: info.license,
    ...FIELDS[dataset],
    ...fields,
  };
}

export const ALL_DATASETS = CATALOG.map((d) => d.id);
