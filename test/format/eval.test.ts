import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELD_OUT_IDS } from '../../pipelines/catalog.ts';
import { EVAL_PROMPT_IDS, renderForEvaluation } from '../../pipelines/format/eval.ts';
import { loadTemplateLibrary } from '../../pipelines/format/templates.ts';
import { fixtureRecord } from './fixtures.ts';

const library = loadTemplateLibrary();
const render = (dataset: string, fields = {}) => renderForEvaluation(fixtureRecord(dataset, fields), library);

test('every held-out dataset renders with its prompt, and every prompt is used', () => {
  assert.deepEqual(Object.keys(EVAL_PROMPT_IDS).sort(), [...HELD_OUT_IDS].sort());
  const used = new Set<string>();
  for (const dataset of HELD_OUT_IDS) {
    const prompt = render(dataset);
    used.add(prompt.templateId);
    assert.equal(prompt.templateId, EVAL_PROMPT_IDS[dataset]);
    assert.ok(!/\{\{|\}\}|<Image>/.test(prompt.instruction), prompt.instruction);
  }
  assert.deepEqual([...used].sort(), library.family('eval').templates.map((t) => t.id).sort());
});

test('the prompts of Appendix E, filled', () => {
  assert.equal(render('nocaps').instruction, 'A short image description:');
  assert.deepEqual(render('flickr30k').references, fixtureRecord('flickr30k').answers);
  assert.equal(render('gqa').instruction, 'Question: Is the horse to the left of the man? Short answer:');
  assert.equal(render('msvd-qa').instruction, 'Question: what is the man riding? Short answer:');
  assert.equal(render('vsr').instruction, 'Based on the image, is this statement true or false? "The horse is under the man." Answer:');
  assert.equal(render('iconqa').instruction, 'Question: How many shapes are there? Options: (a) 3 (b) 4 (c) 5. Short answer:');
  assert.equal(render('textvqa').instruction, 'OCR tokens: coca-cola, classic. Question: What brand is this? Short answer:');
  assert.equal(
    render('hateful-memes').instruction,
    'This is an image with: "look how many people love you" written on it. Is it hateful? Answer:',
  );
  assert.equal(
    render('scienceqa').instruction,
    'Context: Mammals have fur and feed their young milk. Question: Which animal is a mammal? Options: (a) horse (b) lizard. Answer:',
  );
  assert.equal(render('scienceqa', { context: null }).instruction, 'Question: Which animal is a mammal? Options: (a) horse (b) lizard. Answer:');
  assert.equal(
    render('visdial').instruction,
    'Dialog history: Q: is there a horse A: yes Q: how many people A: one\n Question: is it sunny Short answer:',
  );
});

test('ranking tasks carry their candidates and the correct index', () => {
  const scienceqa = render('scienceqa');
  assert.deepEqual([scienceqa.candidates, scienceqa.answerIndex, scienceqa.references], [['horse', 'lizard'], 0, ['horse']]);
  const visdial = render('visdial');
  assert.equal(visdial.candidates?.length, 100);
  assert.equal(visdial.candidates?.[visdial.answerIndex!], 'yes it is');
  assert.deepEqual([render('vsr').candidates, render('vsr').answerIndex], [['true', 'false'], 0]);
  assert.deepEqual([render('vsr', { label: 0 }).references], [['false']]);
  assert.deepEqual([render('hateful-memes').candidates, render('hateful-memes').answerIndex], [['yes', 'no'], 1]);
  assert.equal(render('gqa').candidates, null);
  assert.deepEqual(render('vizwiz', { answers: [] }).references, []);
});

test('data reaches the prompt unchanged', () => {
  const text = 'it\'s <b> & "x"';
  assert.ok(render('gqa', { question: text }).instruction.includes(text));
  assert.ok(render('hateful-memes', { context: text }).instruction.includes(text));
  assert.ok(render('scienceqa', { context: text, choices: [text, 'b'] }).instruction.includes(`Context: ${text} `));
});

test('bad held-out records fail naming dataset and record; held-in records are refused', () => {
  assert.throws(() => render('vsr', { label: null }), /^Error: dataset vsr, record vsr\/test\/1: label must be 0 or 1/);
  assert.throws(() => render('hateful-memes', { context: '' }), /dataset hateful-memes, record .*context is missing/);
  assert.throws(() => render('iconqa', { answerIndex: 3 }), /dataset iconqa, .*answerIndex 3 does not point into 3 choices/);
  assert.throws(() => render('nocaps', { answers: [] }), /dataset nocaps, .*answers is empty/);
  assert.throws(() => render('okvqa'), /dataset okvqa, record okvqa\/train\/1: held-in records are rendered with the training templates/);
});
