/** fast-check generators for InstructRecords, shared by the shard tests. */
import fc from 'fast-check';
import { CATALOG } from '../../pipelines/catalog.ts';
import type { InstructRecord } from '../../pipelines/record.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(Math.fround);
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

export const arbitraryRecord: fc.Arbitrary<InstructRecord> = fc.record({
  info: fc.constantFrom(...CATALOG),
  split: fc.constantFrom('train', 'val', 'test'),
  nativeId: fc.string({ maxLength: 12 }),
  images: fc.array(fc.stringMatching(/^[0-9a-f]{64}(#[0-3]of4)?$/), { maxLength: 4 }),
  question: fc.option(text, { nil: null }),
  answers: fc.array(text, { maxLength: 10 }),
  answerWeights: fc.array(float32, { maxLength: 10 }),
  choices: fc.array(text, { maxLength: 5 }),
  answerIndex: fc.option(int32, { nil: null }),
  context: fc.option(text, { nil: null }),
  ocrTokens: fc.array(text, { maxLength: 5 }),
  dialog: fc.array(fc.record({ question: text, answer: text }), { maxLength: 3 }),
  conversation: fc.array(fc.record({ from: fc.constantFrom('human', 'gpt'), value: text }), { maxLength: 3 }),
  label: fc.option(int32, { nil: null }),
  meta: fc.option(fc.json(), { nil: null }),
  sourceFile: text,
  sourceIndex: fc.nat({ max: 0x7fffffff }),
  sourceSha256: fc.stringMatching(/^[0-9a-f]{64}$/),
}).map(({ info, nativeId, ...r }) => ({
  ...r,
  id: `${info.id}/${r.split}/${nativeId}`,
  dataset: info.id,
  task: info.task,
  category: info.category,
  heldOut: info.heldOut,
  license: info.license,
}));

/** A plain record for tests that need many and do not care about variety. */
export function simpleRecord(i: number, dataset = 'vqav2', split = 'train'): InstructRecord {
  const info = CATALOG.find((d) => d.id === dataset)!;
  return {
    id: `${dataset}/${split}/${i}`, dataset, task: info.task, category: info.category, split, heldOut: info.heldOut,
    images: [], question: `question ${i}?`, answers: [`answer ${i % 7}`], answerWeights: [1], choices: [], answerIndex: null,
    context: null, ocrTokens: [], dialog: [], conversation: [], label: null, meta: null,
    sourceFile: 'annotations.json', sourceIndex: i, sourceSha256: '0'.repeat(64), license: info.license,
  };
}
