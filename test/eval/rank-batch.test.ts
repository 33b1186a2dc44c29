import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { planPasses, rankBatch } from '../../trainer/eval/rank-batch.ts';
import { instructBlipConfigFromHF } from '../../trainer/model/config.ts';
import { checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { createInstructBlip, encodeImages } from '../../trainer/model/instructblip.ts';
import { scoreCandidates } from '../../trainer/model/score.ts';
import { loadGolden, tensorOf } from '../trainer/golden.ts';

test('passes cover every (example, candidate) pair once, in order, at most maxRows per pass', () => {
  fc.assert(fc.property(fc.array(fc.nat(9), { maxLength: 6 }), fc.integer({ min: 1, max: 7 }), (counts, maxRows) => {
    const passes = planPasses(counts, maxRows);
    const pairs = passes.flatMap((p) => p.lists.flatMap(({ example, from, to }) => Array.from({ length: to - from }, (_, i) => `${example}:${from + i}`)));
    const expected = counts.flatMap((n, e) => Array.from({ length: n }, (_, c) => `${e}:${c}`));
    const sizes = passes.map((p) => p.lists.reduce((n, l) => n + l.to - l.from, 0));
    return JSON.stringify(pairs) === JSON.stringify(expected) && sizes.every((s) => s >= 1 && s <= maxRows)
      && passes.every((p) => p.lists[0]!.example === p.first);
  }));
});

test('ranking in passes of any size gives the scores of one batched pass over all candidates', async () => {
  await initBackend({ backend: 'cpu' });
  const golden = loadGolden('instructblip');
  const model = createInstructBlip(instructBlipConfigFromHF(golden.config), checkpointSource(golden.params, 'golden'));
  const inputs = {
    imageFeatures: encodeImages(model, tensorOf(golden.inputs.get('pixel_values'))),
    qformerInputIds: tensorOf(golden.inputs.get('qformer_input_ids')) as tf.Tensor2D,
    qformerAttentionMask: tensorOf(golden.inputs.get('qformer_attention_mask')) as tf.Tensor2D,
  };
  const promptIds = [[5, 9, 13], [7]];
  const candidates = [[[3, 2], [4, 8, 2], [11, 2], [30, 31, 32, 2]], [[20, 21, 22, 2], [6, 2]]];
  const reference = scoreCandidates(model, { ...inputs, promptIds, candidates }).map((list) => list.map((s) => s.logLikelihood));
  for (const maxRows of [1, 2, 3, 5, 100]) {
    const scores = rankBatch(model, inputs, promptIds, candidates, maxRows);
    scores.forEach((list, e) => list.forEach((s, c) => assert.ok(Math.abs(s - reference[e]![c]!) < 1e-4, `passes of ${maxRows}: example ${e} candidate ${c}: ${s} vs ${reference[e]![c]}`)));
  }
  model.params.dispose();
});
