import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { instructBlipConfigFromHF } from '../../trainer/model/config.ts';
import { checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { IGNORE_INDEX, createInstructBlip, encodeImages, instructBlipLoss } from '../../trainer/model/instructblip.ts';
import { scoreCandidates } from '../../trainer/model/score.ts';
import { loadGolden, tensorOf } from './golden.ts';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`candidate scores equal the training loss of each answer (an independent path) on ${backend}`, async () => {
    await initBackend({ backend, threads: 1 });
    const golden = loadGolden('instructblip');
    const model = createInstructBlip(instructBlipConfigFromHF(golden.config), checkpointSource(golden.params, 'golden'));
    const imageFeatures = encodeImages(model, tensorOf(golden.inputs.get('pixel_values')));
    const qformerInputIds = tensorOf(golden.inputs.get('qformer_input_ids')) as tf.Tensor2D;
    const qformerAttentionMask = tensorOf(golden.inputs.get('qformer_attention_mask')) as tf.Tensor2D;
    const promptIds = [[5, 9, 13], [7]];
    const candidates = [[[3], [4, 8, 2], [11, 2]], [[20, 21, 22, 2], [6]]];
    const scores = scoreCandidates(model, { imageFeatures, qformerInputIds, qformerAttentionMask, promptIds, candidates });
    const tensors = tf.memory().numTensors;
    scoreCandidates(model, { imageFeatures, qformerInputIds, qformerAttentionMask, promptIds, candidates });
    assert.equal(tf.memory().numTensors, tensors, 'scoring leaves no tensors behind');
    candidates.forEach((list, e) =>
      list.forEach((candidate, c) => {
        const ids = [...promptIds[e]!, ...candidate];
        const labels = ids.map((id, i) => (i < promptIds[e]!.length ? IGNORE_INDEX : id));
        const loss = instructBlipLoss(model, {
          imageFeatures: imageFeatures.slice(e, 1),
          qformerInputIds: qformerInputIds.slice(e, 1),
          qformerAttentionMask: qformerAttentionMask.slice(e, 1),
          inputIds: tf.tensor2d([ids], undefined, 'int32'),
          attentionMask: tf.ones([1, ids.length], 'int32'),
          labels: tf.tensor2d([labels], undefined, 'int32'),
        }).dataSync()[0]!;
        const score = scores[e]![c]!;
        assert.equal(score.tokens, candidate.length);
        assert.ok(Math.abs(score.logLikelihood + loss * candidate.length) < 1e-4 * Math.max(1, Math.abs(score.logLikelihood)), `example ${e} candidate ${c}: ${score.logLikelihood} vs ${-loss * candidate.length}`);
      }),
    );
  });
}
