import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HELD_IN_IDS } from '../../pipelines/catalog.ts';
import type { RenderContext } from '../../pipelines/format/choice.ts';
import { loadTemplateLibrary } from '../../pipelines/format/templates.ts';
import { AOKVQA_MULTIPLE_CHOICE_SHARE, renderForTraining, TRAINING_FAMILIES } from '../../pipelines/format/train.ts';
import { fixtureRecord } from './fixtures.ts';

const library = loadTemplateLibrary();
const ctx = (epoch: number, seed = 7): RenderContext => ({ seed, epoch });

/** Renders over epochs until every template of the dataset's families has been used. */
function renderAllTemplates(dataset: string, fields = {}) {
  const wanted = new Set(TRAINING_FAMILIES[dataset].flatMap((f) => library.family(f).templates.map((t) => t.id)));
  const seen = new Map<string, string>();
  for (let epoch = 0; epoch < 2000 && seen.size < wanted.size; epoch++) {
    for (const example of renderForTraining(fixtureRecord(dataset, fields), library, ctx(epoch))) {
      if (!seen.has(example.templateId)) seen.set(example.templateId, example.instruction);
    }
  }
  assert.deepEqual([...seen.keys()].sort(), [...wanted].sort(), dataset);
  return seen;
}

test('every held-in dataset has a format, and every template renders on every dataset it serves', () => {
  assert.deepEqual(Object.keys(TRAINING_FAMILIES).sort(), [...HELD_IN_IDS].sort());
  for (const dataset of HELD_IN_IDS) {
    for (const [id, instruction] of renderAllTemplates(dataset)) {
      assert.ok(instruction.trim().length > 0, id);
      assert.ok(!/\{\{|\}\}|<Image>|<image>/.test(instruction), `${dataset} ${id}: ${instruction}`);
    }
  }
});

test('question text reaches the instruction byte for byte', () => {
  const question = 'it\'s <b> & "x" {{y}} \\n';
  for (const dataset of ['vqav2', 'okvqa', 'ocrvqa', 'aokvqa']) {
    for (const [id, instruction] of renderAllTemplates(dataset, { question })) {
      assert.ok(instruction.includes(question), `${dataset} ${id}: ${instruction}`);
    }
  }
  for (const [id, instruction] of renderAllTemplates('vqav2-qg', { answers: ['<b> & "x"'] })) {
    assert.ok(instruction.includes('<b> & "x"'), id);
  }
});

test('rendering is a pure function of (seed, record id, epoch)', () => {
  fc.assert(fc.property(fc.constantFrom(...HELD_IN_IDS), fc.nat(), fc.nat(1000), fc.string(), (dataset, seed, epoch, nativeId) => {
    const record = fixtureRecord(dataset, {}, nativeId);
    assert.deepEqual(renderForTraining(record, library, ctx(epoch, seed)), renderForTraining({ ...record }, library, ctx(epoch, seed)));
  }), { numRuns: 300 });
});

test('templates are drawn uniformly', () => {
  const counts = new Map<string, number>();
  const draws = 26_000;
  for (let i = 0; i < draws; i++) {
    const [example] = renderForTraining(fixtureRecord('coco-caption', {}, String(i)), library, ctx(i % 5));
    counts.set(example.templateId, (counts.get(example.templateId) ?? 0) + 1);
  }
  assert.equal(counts.size, 13);
  for (const [id, count] of counts) assert.ok(Math.abs(count / draws - 1 / 13) < 0.01, `${id}: ${count}`);
});

test('captioning targets cycle through the reference captions', () => {
  const record = fixtureRecord('coco-caption');
  const targets = new Set(Array.from({ length: 100 }, (_, e) => renderForTraining(record, library, ctx(e))[0].target));
  assert.deepEqual([...targets].sort(), [...record.answers].sort());
});

test('VQA targets follow the answer frequencies, or the answer counts when there are none', () => {
  const frequencies = (fields: object) => {
    const counts = new Map<string, number>();
    const draws = 20_000;
    for (let e = 0; e < draws; e++) {
      const { target } = renderForTraining(fixtureRecord('vqav2', fields), library, ctx(e))[0];
      counts.set(target, (counts.get(target) ?? 0) + 1 / draws);
    }
    return counts;
  };
  const weighted = frequencies({ answers: ['2', 'two', 'three'], answerWeights: [0.6, 0.3, 0.1] });
  assert.ok(Math.abs(weighted.get('2')! - 0.6) < 0.015);
  assert.ok(Math.abs(weighted.get('three')! - 0.1) < 0.015);
  const byCount = frequencies({ answers: ['horse', 'horse', 'pony'], answerWeights: [] });
  assert.ok(Math.abs(byCount.get('horse')! - 2 / 3) < 0.015);
  const zeroWeight = frequencies({ answers: ['a', 'b'], answerWeights: [1, 0] });
  assert.deepEqual([...zeroWeight.keys()], ['a']);
});

test('question generation: the answer is in the instruction, the question is the target', () => {
  for (const [id, instruction] of renderAllTemplates('okvqa-qg')) assert.ok(instruction.includes('riding'), id);
  const [example] = renderForTraining(fixtureRecord('okvqa-qg'), library, ctx(0));
  assert.equal(example.target, 'What is this animal used for?');
});

test('OCR datasets put the OCR tokens first, right after the image', () => {
  const [caption] = renderForTraining(fixtureRecord('textcaps'), library, ctx(0));
  assert.match(caption.instruction, /^OCR tokens: coca-cola, classic, 12\. \S/);
  assert.match(caption.templateId, /^caption-reading\//);
  const [vqa] = renderForTraining(fixtureRecord('ocrvqa'), library, ctx(0));
  assert.match(vqa.instruction, /^OCR tokens: pride, and, prejudice, jane, austen\. .*Who wrote this book\?/);
  const [noTokens] = renderForTraining(fixtureRecord('ocrvqa', { ocrTokens: [] }), library, ctx(0));
  assert.doesNotMatch(noTokens.instruction, /OCR tokens/);
  const many = Array.from({ length: 40 }, (_, i) => `t${i}`);
  const [capped] = renderForTraining(fixtureRecord('textcaps', { ocrTokens: many }), library, ctx(0));
  assert.match(capped.instruction, /t29\. /);
  assert.doesNotMatch(capped.instruction, /t30/);
});

test('LLaVA: one example per assistant turn, earlier turns as history, no role tags or image token', () => {
  const examples = renderForTraining(fixtureRecord('llava-conversation'), library, ctx(3));
  assert.deepEqual(examples, [
    { instruction: 'What is the man doing?', target: 'He is riding a horse.', templateId: 'conversation/01' },
    {
      instruction: 'What is the man doing?\nHe is riding a horse.\nWhat color is the horse?',
      target: 'The horse is brown.',
      templateId: 'conversation/01',
    },
  ]);
  const [detail] = renderForTraining(fixtureRecord('llava-detail'), library, ctx(0));
  assert.equal(detail.instruction, 'Describe the image in detail.');
});

test('A-OKVQA renders as multiple choice or open-ended per seed, at the stated share', () => {
  let multipleChoice = 0;
  const draws = 10_000;
  for (let e = 0; e < draws; e++) {
    const [example] = renderForTraining(fixtureRecord('aokvqa'), library, ctx(e));
    if (example.templateId.startsWith('multiple-choice/')) {
      multipleChoice++;
      assert.equal(example.target, 'ride');
      assert.ok(example.instruction.includes('(a) ride (b) swim (c) cook (d) sleep'), example.instruction);
    } else {
      assert.match(example.templateId, /^vqa\//);
      assert.ok(['ride', 'ride away', 'dismount'].includes(example.target));
    }
  }
  assert.ok(Math.abs(multipleChoice / draws - AOKVQA_MULTIPLE_CHOICE_SHARE) < 0.02, String(multipleChoice));
  const onlyChoices = renderForTraining(fixtureRecord('aokvqa', { answers: [] }), library, ctx(1))[0];
  assert.match(onlyChoices.templateId, /^multiple-choice\//);
  const onlyAnswers = renderForTraining(fixtureRecord('aokvqa', { choices: [], answerIndex: null }), library, ctx(1))[0];
  assert.match(onlyAnswers.templateId, /^vqa\//);
});

test('bad records fail with the dataset and record named', () => {
  const cases: [string, object, RegExp][] = [
    ['vqav2', { question: null }, /question is missing/],
    ['vqav2', { question: '  ' }, /question is missing/],
    ['vqav2', { answers: [] }, /answers is empty/],
    ['vqav2', { answers: ['a', ''] }, /answers\[1\] is empty/],
    ['vqav2', { answers: ['a', 'b'], answerWeights: [1] }, /answerWeights has 1 entries for 2 answers/],
    ['vqav2', { answers: ['a'], answerWeights: [0] }, /not all zero/],
    ['coco-caption', { answers: [] }, /answers is empty/],
    ['aokvqa', { choices: [], answers: [] }, /neither choices nor direct answers/],
    ['aokvqa', { answers: [], answerIndex: 9 }, /answerIndex 9 does not point into 4 choices/],
    ['llava-detail', { conversation: [{ from: 'human', value: 'hi' }] }, /conversation has 1 turns/],
    ['llava-detail', { conversation: [{ from: 'gpt', value: 'a' }, { from: 'human', value: 'b' }] }, /turn 0 is from "gpt"/],
    ['llava-detail', { conversation: [{ from: 'human', value: '<image>' }, { from: 'gpt', value: 'b' }] }, /turn 0 is empty/],
  ];
  for (const [dataset, fields, message] of cases) {
    const record = fixtureRecord(dataset, fields, 'bad-7');
    assert.throws(() => renderForTraining(record, library, ctx(0)), (error: Error) => {
      assert.ok(error.message.startsWith(`dataset ${dataset}, record ${dataset}/train/bad-7: `), error.message);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('held-out records are refused for training', () => {
  assert.throws(() => renderForTraining(fixtureRecord('gqa'), library, ctx(0)), /dataset gqa, record gqa\/testdev\/1: held-out records/);
});
