import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HELD_OUT_IDS } from '../../../pipelines/catalog.ts';
import { DATASET_METRICS, datasetMetric, scoreDataset, type EvalTruth } from '../../../trainer/eval/metrics/index.ts';

const truth = (fields: Partial<EvalTruth>): EvalTruth =>
  ({ id: 'test/val/1', references: [], candidates: null, answerIndex: null, label: null, meta: null, ...fields });

const TEN = (answer: string, matching: number) => [...Array(matching).fill(answer), ...Array(10 - matching).fill('other')];

/** A few valid truths per dataset, enough for each metric to be defined. */
const TRUTHS: Readonly<Record<string, EvalTruth[]>> = (() => {
  const captions = [
    truth({ id: 'c/1', references: ['a dog runs on the grass', 'a brown dog running'] }),
    truth({ id: 'c/2', references: ['a red bus on a street'] }),
    truth({ id: 'c/3', references: ['two cats sleep on a bed', 'cats on a bed'] }),
  ];
  const vqa = [truth({ id: 'v/1', references: TEN('2', 4) }), truth({ id: 'v/2', references: TEN('yes', 10) })];
  const choices = [
    truth({ id: 'm/1', references: ['cube'], candidates: ['sphere', 'cube'], answerIndex: 1 }),
    truth({ id: 'm/2', references: ['true'], candidates: ['true', 'false'], answerIndex: 0 }),
  ];
  const vocabulary = [truth({ id: 'q/1', references: ['guitar'] }), truth({ id: 'q/2', references: ['dance'] })];
  return {
    nocaps: captions.map((t, i) => ({ ...t, meta: JSON.stringify({ domain: ['in-domain', 'near', 'out-domain'][i] }) })),
    flickr30k: captions, 'coco-caption': captions, textcaps: captions,
    gqa: [truth({ references: ['left'] }), truth({ id: 'g/2', references: ['table'] })],
    vizwiz: vqa, textvqa: vqa, vqav2: vqa, okvqa: vqa,
    ivqa: [truth({ references: ['knife', 'knife', 'spoon', 'fork', 'knife'] })],
    vsr: choices, iconqa: choices, scienceqa: choices,
    'msvd-qa': vocabulary, 'msrvtt-qa': vocabulary,
    visdial: [truth({ references: ['yes'], candidates: ['no', 'yes', 'maybe', 'blue'], answerIndex: 1 })],
    'hateful-memes': [truth({ id: 'h/1', label: 1 }), truth({ id: 'h/2', label: 0 }), truth({ id: 'h/3', label: 0 })],
  };
})();

test('every held-out dataset has the paper\'s metric', () => {
  const expected: Record<string, string> = {
    nocaps: 'cider-d', flickr30k: 'cider-d', ivqa: 'ivqa-accuracy', 'hateful-memes': 'roc-auc', visdial: 'mean-reciprocal-rank',
    gqa: 'exact-match', vizwiz: 'vqa-accuracy', textvqa: 'vqa-accuracy',
    vsr: 'top1-accuracy', iconqa: 'top1-accuracy', scienceqa: 'top1-accuracy', 'msvd-qa': 'top1-accuracy', 'msrvtt-qa': 'top1-accuracy',
  };
  assert.deepEqual(new Set(Object.keys(expected)), new Set(HELD_OUT_IDS));
  for (const dataset of HELD_OUT_IDS) assert.equal(datasetMetric(dataset).metric, expected[dataset], dataset);
  assert.ok(Object.keys(DATASET_METRICS).every((dataset) => Object.hasOwn(TRUTHS, dataset)));
});

test('scores are on the paper\'s scale', () => {
  assert.equal(scoreDataset('vizwiz', ['two', 'yes'], TRUTHS.vizwiz).score, 100);
  assert.equal(scoreDataset('gqa', ['left', 'chair'], TRUTHS.gqa).score, 50);
  assert.equal(scoreDataset('ivqa', ['spoon'], TRUTHS.ivqa).score, 50);
  assert.deepEqual(scoreDataset('scienceqa', [1, 'False'], TRUTHS.scienceqa).perExample, [100, 0]);
  assert.equal(scoreDataset('msvd-qa', ['guitar', 'sing'], TRUTHS['msvd-qa']).score, 50);
  assert.equal(scoreDataset('visdial', [[0.1, 0.3, 0.9, 0.2]], TRUTHS.visdial).score, 50);
  assert.equal(scoreDataset('hateful-memes', [0.9, 0.2, 0.95], TRUTHS['hateful-memes']).score, 50);
  // CIDEr-D: pycocoevalcap's value x 100, e.g. the two-image example of cider-d.test.ts
  const cider = scoreDataset('flickr30k', ['a cat', 'a dog'], [
    truth({ references: ['a cat sits', 'a cat'] }), truth({ id: 'c/2', references: ['a dog runs'] }),
  ]);
  assert.ok(Math.abs(cider.score - 386.50765) < 1e-4, String(cider.score));
});

test('NoCaps reports the three domains beside the overall score', () => {
  const result = scoreDataset('nocaps', ['a dog runs on grass', 'a red bus', 'cats on a bed'], TRUTHS.nocaps);
  assert.deepEqual(Object.keys(result.breakdown).sort(), ['in-domain', 'near-domain', 'out-domain']);
  assert.ok(result.score > 0);
  assert.deepEqual(Object.keys(scoreDataset('flickr30k', ['a', 'b', 'c'], TRUTHS.flickr30k).breakdown), []);
});

test('empty or non-text predictions score 0 and never throw', () => {
  const junk = ['', '   ', null, undefined, 42, {}, ['yes'], true, NaN];
  for (const [dataset, truths] of Object.entries(TRUTHS)) {
    if (dataset === 'hateful-memes') continue; // a ranking of all examples, checked below
    for (const prediction of junk) {
      const { perExample } = scoreDataset(dataset, truths.map(() => prediction), truths);
      assert.ok(perExample.every((s) => s === 0), `${dataset} ${JSON.stringify(prediction)}`);
    }
  }
  // Visual Dialog: a score list of the wrong length scores 0; entries that are not numbers rank lowest.
  assert.deepEqual(scoreDataset('visdial', [[1, 2, 3]], TRUTHS.visdial).perExample, [0]);
  assert.deepEqual(scoreDataset('visdial', [[5, 'x', 1, 2]], TRUTHS.visdial).perExample, [100 / 4]);
  assert.deepEqual(scoreDataset('vsr', [7, -1], TRUTHS.vsr).perExample, [0, 0]);
  // Hateful Memes: a missing score ranks below every real one.
  assert.equal(scoreDataset('hateful-memes', [null, 0.1, 0.2], TRUTHS['hateful-memes']).score, 0);
  assert.equal(scoreDataset('hateful-memes', ['x', null, {}], TRUTHS['hateful-memes']).score, 50);
});

test('property: any predictions at all give finite scores within range, one per example', () => {
  fc.assert(fc.property(fc.constantFrom(...Object.keys(TRUTHS)), fc.array(fc.anything(), { minLength: 3, maxLength: 3 }), (dataset, pool) => {
    const truths = TRUTHS[dataset];
    const result = scoreDataset(dataset, truths.map((_, i) => pool[i % pool.length]), truths);
    const ceiling = result.metric === 'cider-d' ? 1000 : 100;
    assert.equal(result.perExample.length, truths.length);
    assert.ok(Number.isFinite(result.score) && result.score >= 0 && result.score <= ceiling);
  }), { numRuns: 1000 });
});

test('truths a metric cannot use are errors naming the record; so are mismatched or empty inputs', () => {
  assert.throws(() => scoreDataset('vizwiz', ['yes'], [truth({ id: 'vizwiz/test/7' })]), /vqa-accuracy: record vizwiz\/test\/7 has no reference answers/);
  assert.throws(() => scoreDataset('gqa', ['yes'], [truth({ id: 'gqa/testdev/1', references: ['a', 'b'] })]), /exact-match: record gqa\/testdev\/1 has 2 reference answers/);
  assert.throws(() => scoreDataset('nocaps', ['a dog'], [truth({ id: 'nocaps/val/3', references: ['a dog'], meta: '{}' })]), /record nocaps\/val\/3 has no NoCaps domain/);
  assert.throws(() => scoreDataset('hateful-memes', [0.5], [truth({ id: 'hm/dev/1', label: null })]), /record hm\/dev\/1 has label null/);
  assert.throws(() => scoreDataset('hateful-memes', [0.5], [truth({ label: 1 })]), /needs positive and negative examples/);
  assert.throws(() => scoreDataset('visdial', [[1]], [truth({ id: 'visdial/val/9', references: ['x'], candidates: ['x'], answerIndex: 3 })]), /record visdial\/val\/9 needs candidates/);
  assert.throws(() => scoreDataset('gqa', ['a', 'b'], TRUTHS.gqa.slice(0, 1)), /2 predictions for 1 examples/);
  assert.throws(() => scoreDataset('gqa', [], []), /no examples to score/);
  assert.throws(() => datasetMetric('llava-detail'), /no metric for dataset "llava-detail"/);
  assert.throws(() => datasetMetric('constructor'), /no metric for dataset/);
});
