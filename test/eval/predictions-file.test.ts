import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { evaluationBatches } from '../../trainer/eval/evaluate-dataset.ts';
import type { PredictionLine } from '../../trainer/eval/prediction-line.ts';
import { PredictionAppender, readPredictions, rewritePredictions } from '../../trainer/eval/predictions-file.ts';

const root = mkdtempSync(path.join(tmpdir(), 'eval-predictions-'));
after(() => rmSync(root, { recursive: true, force: true }));

const line = (id: string, prediction: unknown = 'a dog'): PredictionLine => ({ id, prompt: 'Question: what? Short answer:', templateId: 'eval/short-answer', prediction, references: ['dog'] });

test('appended lines read back by record id; a torn last line is cut off the file', () => {
  const file = path.join(root, 'torn.jsonl');
  const appender = new PredictionAppender(file);
  appender.append([line('gqa/testdev/1'), line('gqa/testdev/2', '')]);
  appender.close();
  const whole = readFileSync(file, 'utf8');
  appendFileSync(file, '{"id":"gqa/testdev/3","prompt":"Quest');
  const read = readPredictions(file);
  assert.deepEqual([...read.lines.keys()], ['gqa/testdev/1', 'gqa/testdev/2']);
  assert.equal(read.lines.get('gqa/testdev/2')!.prediction, '', 'an empty prediction is kept');
  assert.equal(read.tornBytes, 37);
  assert.equal(readFileSync(file, 'utf8'), whole, 'the file ends after the last whole line again');
  assert.equal(readPredictions(file).tornBytes, 0);
});

test('a damaged line before the end is an error naming the file and line; a missing file reads as empty', () => {
  const file = path.join(root, 'damaged.jsonl');
  writeFileSync(file, `${JSON.stringify(line('x/1'))}\nnot json\n${JSON.stringify(line('x/2'))}\n`);
  assert.throws(() => readPredictions(file), (err: Error) => err.message.includes(file) && err.message.includes('line 2'));
  assert.equal(readPredictions(path.join(root, 'absent.jsonl')).lines.size, 0);
});

test('a record predicted twice keeps its first line; the rewrite replaces the file whole', async () => {
  const file = path.join(root, 'twice.jsonl');
  writeFileSync(file, [line('x/1', 'first'), line('x/1', 'second')].map((l) => `${JSON.stringify(l)}\n`).join(''));
  assert.equal(readPredictions(file).lines.get('x/1')!.prediction, 'first');
  await rewritePredictions(file, [{ ...line('x/1', 'first'), score: 100 }]);
  assert.deepEqual(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).score), [100]);
});

test('evaluation batches hold at most the batch size and never mix frame counts', () => {
  const ex = (frames: number) => ({ record: { images: Array<string>(frames).fill('k') } });
  const batches = evaluationBatches([ex(1), ex(1), ex(1), ex(4), ex(4), ex(1)], 2);
  assert.deepEqual(batches.map((b) => b.map((e) => e.record.images.length)), [[1, 1], [1], [4, 4], [1]]);
});
