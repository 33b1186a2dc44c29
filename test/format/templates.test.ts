import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { IMAGE_MARKER, loadTemplateLibrary } from '../../pipelines/format/templates.ts';

const library = loadTemplateLibrary();

// The paper's Appendix Table 5 as research/instructblip-facts.md §2.1 transcribes it.
const PAPER = {
  caption: [
    'A short image caption:', 'A short image description:', 'A photo of', 'An image that shows',
    'Write a short description for the image.', 'Write a description for the photo.',
    'Provide a description of what is presented in the photo.', 'Briefly describe the content of the image.',
    'Can you briefly explain what you see in the image?',
    'Could you use a few words to describe what you perceive in the photo?',
    'Please provide a short depiction of the picture.', 'Using language, provide a short account of the image.',
    'Use a few words to illustrate what is happening in the picture.',
  ],
  vqa: [
    '{Question}', 'Question: {Question}', '{Question} A short answer to the question is', 'Q: {Question} A:',
    'Question: {Question} Short answer:',
    'Given the image, answer the following question with no more than three words. {Question}',
    'Based on the image, respond to this question with a short answer: {Question}. Answer:',
    'Use the provided image to answer the question: {Question} Provide your answer as short as possible:',
    'What is the answer to the following question? "{Question}"',
    'The question "{Question}" can be answered using the image. A short answer is',
  ],
  vqg: [
    'Given the image, generate a question whose answer is: {Answer}. Question:',
    'Based on the image, provide a question with the answer: {Answer}. Question:',
    'Given the visual representation, create a question for which the answer is "{Answer}".',
    'From the image provided, craft a question that leads to the reply: {Answer}. Question:',
    'Considering the picture, come up with a question where the answer is: {Answer}.',
    'Taking the image into account, generate an question that has the answer: {Answer}. Question:',
  ],
};

test('the paper families are Table 5 verbatim, in order, with stable ids', () => {
  for (const [name, texts] of Object.entries(PAPER)) {
    const family = library.family(name);
    assert.equal(family.origin, 'paper');
    assert.deepEqual(family.templates.map((t) => t.id), texts.map((_, i) => `${name}/${String(i + 1).padStart(2, '0')}`));
    const slotted = texts.map((t) => t.replaceAll('{Question}', '{{question}}').replaceAll('{Answer}', '{{answer}}'));
    assert.deepEqual(family.templates.map((t) => t.source), slotted);
  }
});

test('the families the paper leaves open are marked as ours', () => {
  for (const name of ['caption-reading', 'vqa-reading', 'multiple-choice']) {
    assert.equal(library.family(name).origin, 'ours', name);
    assert.ok(library.family(name).templates.length >= 10, name);
  }
});

test('every template had the image marker stripped and carries its family prefix', () => {
  for (const family of library.families()) {
    for (const t of family.templates) {
      assert.ok(t.id.startsWith(`${family.name}/`), t.id);
      assert.ok(!t.source.includes(IMAGE_MARKER), t.id);
      assert.equal(library.template(t.id), t);
    }
  }
});

function withTemplateDir(files: Record<string, unknown>, check: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'templates-'));
  try {
    mkdirSync(path.join(dir, 'train'));
    mkdirSync(path.join(dir, 'eval'));
    for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(body));
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const family = (templates: Record<string, string>, slots: string[] = []) => ({ family: 'x', origin: 'ours', source: 'test', slots, templates });

test('a template using an undeclared slot is refused at load, naming file and id', () => {
  withTemplateDir({ 'train/x.hbs.json': family({ 'x/01': '<Image>{{question}}' }) }, (dir) => {
    assert.throws(() => loadTemplateLibrary(dir), /templates\/train\/x\.hbs\.json: x\/01: "question" not defined/);
  });
});

test('a template without the leading image marker is refused', () => {
  withTemplateDir({ 'train/x.hbs.json': family({ 'x/01': 'A photo of' }) }, (dir) => {
    assert.throws(() => loadTemplateLibrary(dir), /x\/01: must begin with <Image>/);
  });
  withTemplateDir({ 'train/x.hbs.json': family({ 'x/01': '<Image>A<Image>' }) }, (dir) => {
    assert.throws(() => loadTemplateLibrary(dir), /x\/01: must begin with <Image>, once/);
  });
});

test('ids must carry the family name; families must be unique', () => {
  withTemplateDir({ 'train/x.hbs.json': family({ 'y/01': '<Image>A' }) }, (dir) => {
    assert.throws(() => loadTemplateLibrary(dir), /template id "y\/01" must start with "x\/"/);
  });
  withTemplateDir({ 'train/x.hbs.json': family({ 'x/01': '<Image>A' }), 'eval/x.hbs.json': family({ 'x/02': '<Image>B' }) }, (dir) => {
    assert.throws(() => loadTemplateLibrary(dir), /family "x" is defined twice/);
  });
});
