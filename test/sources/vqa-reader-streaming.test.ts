import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import type { JsonStreamInput } from '../../pipelines/sources/common/json-input.ts';
import type { AdapterOutput, SourceRecord } from '../../pipelines/sources/types.ts';
import { VQAV2_FILES } from '../../pipelines/sources/vqav2/files.ts';
import { readOfficialVqa } from '../../pipelines/sources/vqav2/vqa-reader.ts';
import { readZipJson, sampleRaw } from './coco-family-helpers.ts';

const NAMES = { source: 'vqav2', vqa: 'vqav2', qg: 'vqav2-qg' };
const raw = sampleRaw();
const [{ questions: questionsFile }] = VQAV2_FILES;
/** Image ids the sample's COCO archives hold. */
const imageIds: Promise<number[]> = readZipJson(raw, 'vqav2', questionsFile.archive!, questionsFile.member)
  .then((json) => [...new Set<number>(json.questions.map((q: { image_id: number }) => q.image_id))]);

interface Listing {
  question_id: number;
  image_id: number;
}

/** A JSON document streamed 8 KB at a time, on demand; `pulled` counts the bytes read so far. */
function streamed(file: string, container: string, members: object[]): JsonStreamInput & { pulled: () => number; bytes: number } {
  const document = Buffer.from(JSON.stringify({ info: {}, [container]: members }));
  let pulled = 0;
  const stream = new Readable({
    highWaterMark: 1,
    read() {
      const chunk = document.subarray(pulled, pulled + 8192);
      pulled += chunk.length;
      this.push(chunk.length > 0 ? chunk : null);
    },
  });
  return { file, label: file, stream, pulled: () => pulled, bytes: document.length };
}

const question = ({ question_id, image_id }: Listing) => ({ image_id, question: `What is question ${question_id}?`, question_id });
const annotation = ({ question_id, image_id }: Listing) => ({
  question_id, image_id, question_type: 'what is', answer_type: 'other', multiple_choice_answer: `a${question_id}`,
  answers: Array.from({ length: 10 }, (_, k) => ({ answer: `a${question_id}`, answer_confidence: 'yes', answer_id: k + 1 })),
});

async function read(questions: JsonStreamInput, annotations: JsonStreamInput, onOutputs?: () => void): Promise<AdapterOutput[]> {
  const outputs: AdapterOutput[] = [];
  for await (const batch of readOfficialVqa(raw, NAMES, 'train', questions, annotations)) {
    outputs.push(...batch);
    if (batch.some((o) => 'record' in o)) onOutputs?.();
  }
  return outputs;
}

test('records come while the questions file is still being read: it is read just ahead of the annotations', async () => {
  const ids = await imageIds;
  const listings = Array.from({ length: 3000 }, (_, i) => ({ question_id: 1000 + i, image_id: ids[i % ids.length] }));
  const questions = streamed('q.json', 'questions', listings.map(question));
  const annotations = streamed('a.json', 'annotations', listings.map(annotation));
  let pulledAtFirst = -1;
  const outputs = await read(questions, annotations, () => {
    if (pulledAtFirst < 0) pulledAtFirst = questions.pulled();
  });
  assert.ok(pulledAtFirst > 0 && pulledAtFirst < questions.bytes / 2, `${pulledAtFirst} of ${questions.bytes} bytes of questions read before the first records`);
  assert.equal(outputs.filter((o) => 'record' in o).length, 2 * listings.length);
});

test('annotations in any order, some questions or annotations missing: the same pairs and quarantines as a whole-file join', async () => {
  const ids = await imageIds;
  const scenario = fc.integer({ min: 1, max: 60 }).chain((n) => fc.record({
    listings: fc.constant(Array.from({ length: n }, (_, i) => ({ question_id: 10 * i + 7, image_id: ids[i % ids.length] }))),
    order: fc.oneof(fc.constant('same' as const), fc.constant('reversed' as const), fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n })),
    noQuestion: fc.uniqueArray(fc.nat(n - 1), { maxLength: 4 }),
    noAnnotation: fc.uniqueArray(fc.nat(n - 1), { maxLength: 4 }),
  }));
  await fc.assert(fc.asyncProperty(scenario, async ({ listings, order, noQuestion, noAnnotation }) => {
    const positions = order === 'same' ? listings.map((_, i) => i) : order === 'reversed' ? listings.map((_, i) => listings.length - 1 - i) : order;
    const asked = listings.filter((_, i) => !noQuestion.includes(i));
    const answered = positions.filter((i) => !noAnnotation.includes(i)).map((i) => listings[i]);
    const outputs = await read(streamed('q.json', 'questions', asked.map(question)), streamed('a.json', 'annotations', answered.map(annotation)));

    const records = outputs.flatMap((o) => ('record' in o && o.record.dataset === 'vqav2' ? [o.record as SourceRecord] : []));
    const paired = answered.filter((l) => asked.includes(l));
    assert.deepEqual(records.map((r) => [r.id, r.question]), paired.map((l) => [`vqav2/train/${l.question_id}`, `What is question ${l.question_id}?`]));
    const reasons = outputs.flatMap((o) => ('quarantine' in o && o.quarantine.dataset === 'vqav2' ? [o.quarantine.reason] : [])).sort();
    const expected = [
      ...answered.filter((l) => !asked.includes(l)).map(() => 'unknown-question'),
      ...asked.filter((l) => !answered.includes(l)).map(() => 'missing-annotation'),
    ].sort();
    assert.deepEqual(reasons, expected);
  }), { numRuns: 60 });
});
