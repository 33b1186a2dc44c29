import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../trainer/backend.ts';
import { type GenerateOptions, generate } from '../../trainer/eval/generate.ts';
import { logSumExp } from '../../trainer/eval/generate-beam.ts';
import { uncachedDecoder } from '../../trainer/eval/generate-decoder.ts';
import { instructBlipConfigFromHF } from '../../trainer/model/config.ts';
import { checkpointSource } from '../../trainer/model/hf-checkpoint.ts';
import { type InstructBlip, createInstructBlip, encodeImages, softPrompt } from '../../trainer/model/instructblip.ts';
import { leftPaddedPrefix } from '../../trainer/model/prefix.ts';
import { loadGolden, tensorOf } from './golden.ts';

type Inputs = Parameters<typeof generate>[1];

/** The reference's small random InstructBLIP (vocab 48) with its two example images and instructions. */
function fixture(): { model: InstructBlip; inputs: Inputs } {
  const golden = loadGolden('instructblip');
  const model = createInstructBlip(instructBlipConfigFromHF(golden.config), checkpointSource(golden.params, 'golden'));
  return {
    model,
    inputs: {
      imageFeatures: encodeImages(model, tensorOf(golden.inputs.get('pixel_values'))),
      qformerInputIds: tensorOf(golden.inputs.get('qformer_input_ids')) as tf.Tensor2D,
      qformerAttentionMask: tensorOf(golden.inputs.get('qformer_attention_mask')) as tf.Tensor2D,
      // Different lengths, so the batch is left-padded.
      promptIds: [[5, 9, 13], [7]],
    },
  };
}

function row(inputs: Inputs, r: number): Inputs {
  return {
    imageFeatures: inputs.imageFeatures.slice(r, 1),
    qformerInputIds: inputs.qformerInputIds!.slice(r, 1),
    qformerAttentionMask: inputs.qformerAttentionMask!.slice(r, 1),
    promptIds: [inputs.promptIds[r]!],
  };
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`cached and uncached generation give identical tokens, greedy and beam, on ${backend}`, async () => {
    await initBackend({ backend, threads: 1 });
    const { model, inputs } = fixture();
    // EOS at an id the random model rarely picks, so sequences run long enough to exercise the cache.
    for (const options of [{ maxNewTokens: 10, eosTokenId: 47 }, { maxNewTokens: 8, numBeams: 3, eosTokenId: 47 }] as GenerateOptions[]) {
      const cached = generate(model, inputs, options);
      const uncached = generate(model, inputs, { ...options, useCache: false });
      assert.deepEqual(cached, uncached, JSON.stringify(options));
      assert.ok(cached.every((g) => g.tokens.length > 2));
      const tensors = tf.memory().numTensors;
      generate(model, inputs, options);
      assert.equal(tf.memory().numTensors, tensors, 'generation leaves no tensors behind');
    }
  });
}

test('a left-padded batch generates what each example generates alone', async () => {
  await initBackend({ backend: 'cpu' });
  const { model, inputs } = fixture();
  for (const numBeams of [1, 3]) {
    const batched = generate(model, inputs, { maxNewTokens: 6, numBeams, eosTokenId: 47 });
    assert.deepEqual([generate(model, row(inputs, 0), { maxNewTokens: 6, numBeams, eosTokenId: 47 })[0], generate(model, row(inputs, 1), { maxNewTokens: 6, numBeams, eosTokenId: 47 })[0]], batched);
  }
});

test('EOS ends a sequence, but not before the minimum length; the length limit holds', async () => {
  await initBackend({ backend: 'cpu' });
  const { model, inputs } = fixture();
  const free = generate(model, inputs, { maxNewTokens: 8, eosTokenId: 47 });
  assert.ok(free.every((g) => g.tokens.length === 8 && !g.finished));
  // Make the first greedy token that did not appear before it the EOS: generation stops right there.
  const stops = free.map(({ tokens }) => tokens.findIndex((t, i) => i > 0 && !tokens.slice(0, i).includes(t)));
  const r = stops.findIndex((stop) => stop > 0);
  assert.ok(r >= 0, `the fixture's greedy rows ${JSON.stringify(free)} should not just repeat their first token`);
  const tokens = free[r]!.tokens;
  const stopped = generate(model, row(inputs, r), { maxNewTokens: 8, eosTokenId: tokens[stops[r]!]! })[0]!;
  assert.deepEqual(stopped, { tokens: tokens.slice(0, stops[r]), finished: true });
  // With the first greedy token as EOS and a minimum of 1, EOS cannot come first.
  const first = free[0]!.tokens[0]!;
  assert.deepEqual(generate(model, row(inputs, 0), { maxNewTokens: 1, minNewTokens: 0, eosTokenId: first })[0], { tokens: [], finished: true });
  const forced = generate(model, row(inputs, 0), { maxNewTokens: 1, minNewTokens: 1, eosTokenId: first })[0]!;
  assert.equal(forced.tokens.length, 1);
  assert.notEqual(forced.tokens[0], first);
});

test('beam search with as many beams as the vocabulary finds the best two-token continuation', async () => {
  await initBackend({ backend: 'cpu' });
  const { model, inputs } = fixture();
  const vocab = model.cfg.lm.vocabSize;
  const single = row(inputs, 1);
  const beam = generate(model, single, { maxNewTokens: 2, numBeams: vocab, eosTokenId: vocab, lengthPenalty: 0 })[0]!;
  // Exhaustive: log p(t1) + log p(t2 | t1) over all vocab^2 pairs.
  const decoder = uncachedDecoder(model.lm, leftPaddedPrefix(model.lm, softPrompt(model, single), single.promptIds));
  const logProbs = (logits: Float32Array) => {
    const normalizer = logSumExp(logits);
    return Array.from(logits, (v) => v - normalizer);
  };
  const first = logProbs(decoder.logits()[0]!);
  decoder.select(Array(vocab).fill(0));
  decoder.feed(Array.from({ length: vocab }, (_, t) => t));
  let best = { score: -Infinity, tokens: [] as number[] };
  decoder.logits().forEach((logits, t1) =>
    logProbs(logits).forEach((lp, t2) => {
      if (first[t1]! + lp > best.score) best = { score: first[t1]! + lp, tokens: [t1, t2] };
    }),
  );
  decoder.dispose();
  assert.deepEqual(beam.tokens, best.tokens);
});
