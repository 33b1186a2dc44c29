import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELD_OUT_IDS } from '../../../pipelines/catalog.ts';
import { datasetMetric } from '../../../trainer/eval/metrics/index.ts';
import { PAPER_TABLE1, PAPER_TABLE1_DATASETS } from '../../../trainer/eval/paper-table1.ts';

test('four InstructBLIP and four BLIP-2 rows, each with all 13 held-out datasets', () => {
  assert.deepEqual(new Set(PAPER_TABLE1_DATASETS), new Set(HELD_OUT_IDS));
  assert.equal(PAPER_TABLE1.filter((row) => row.family === 'InstructBLIP').length, 4);
  assert.equal(PAPER_TABLE1.filter((row) => row.family === 'BLIP-2').length, 4);
  for (const row of PAPER_TABLE1) assert.deepEqual(Object.keys(row.scores), [...PAPER_TABLE1_DATASETS]);
});

test('values sit on the metrics\' scale: CIDEr x 100 above 60, everything else a percentage', () => {
  for (const row of PAPER_TABLE1) {
    for (const dataset of PAPER_TABLE1_DATASETS) {
      const value = row.scores[dataset];
      if (datasetMetric(dataset).metric === 'cider-d') assert.ok(value > 60 && value < 200, `${row.languageModel} ${dataset}`);
      else assert.ok(value > 0 && value < 100, `${row.languageModel} ${dataset}`);
    }
  }
});

test('spot values from the paper', () => {
  const find = (family: string, languageModel: string) => PAPER_TABLE1.find((r) => r.family === family && r.languageModel === languageModel)!;
  assert.equal(find('InstructBLIP', 'FlanT5-XL').scores.nocaps, 119.9);
  assert.equal(find('InstructBLIP', 'Vicuna-7B').scores['hateful-memes'], 59.6);
  assert.equal(find('InstructBLIP', 'Vicuna-13B').scores.textvqa, 50.7);
  assert.equal(find('BLIP-2', 'FlanT5-XL').scores.scienceqa, 54.9);
  // The paper's own caveat: on VSR, BLIP-2 FlanT5-XXL beats InstructBLIP FlanT5-XXL.
  assert.ok(find('BLIP-2', 'FlanT5-XXL').scores.vsr > find('InstructBLIP', 'FlanT5-XXL').scores.vsr);
});
