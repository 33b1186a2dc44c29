/**
 * Generation speed with and without the key/value cache, on wasm with 2 threads: the demo model
 * (8 queries, a 2-layer 128-wide LLaMA over the 30,522-token BERT vocabulary) and the model-step
 * bench's 2-layer 256-wide LM; 16 prompt tokens, 32 new tokens (EOS unreachable, so every run
 * generates all 32), greedy and 5-beam.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../trainer/backend.ts';
import { DEMO_QFORMER, DEMO_VISION, demoLm } from '../trainer/configs/models.ts';
import { generate } from '../trainer/eval/generate.ts';
import type { InstructBlipConfig } from '../trainer/model/config.ts';
import { createInstructBlip } from '../trainer/model/instructblip.ts';
import { randomInit } from '../trainer/model/params.ts';
import { visionTokens } from '../trainer/model/vision.ts';

const NEW_TOKENS = 32;
const PROMPT_TOKENS = 16;

const demo: InstructBlipConfig = { vision: DEMO_VISION, qformer: DEMO_QFORMER, lm: demoLm({ vocabSize: 30522, bosTokenId: 101, eosTokenId: 102, padTokenId: 0 }) };
const wider: InstructBlipConfig = { ...demo, lm: { ...demo.lm, vocabSize: 8000, hiddenSize: 256, intermediateSize: 688, numHeads: 4, numKeyValueHeads: 4 } };

const backend = await initBackend({ backend: 'wasm', threads: Number(process.env['BENCH_THREADS'] ?? 2) });
console.log(`backend: ${backend.description}; ${PROMPT_TOKENS} prompt tokens after the soft prompt, ${NEW_TOKENS} new tokens\n`);
console.log('| model | batch | search | KV cache | tokens/s | ms per step |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, cfg] of [
  ['demo (LM 2x128, vocab 30522)', demo],
  ['LM 2x256, vocab 8000', wider],
] as const) {
  const model = createInstructBlip(cfg, randomInit(1));
  for (const batch of [1, 8]) {
    const inputs = {
      imageFeatures: tf.randomNormal([batch, visionTokens(cfg.vision), cfg.vision.hiddenSize], 0, 1, 'float32', 1),
      qformerInputIds: tf.fill([batch, 12], 2000, 'int32') as tf.Tensor2D,
      qformerAttentionMask: tf.ones([batch, 12], 'int32') as tf.Tensor2D,
      promptIds: Array.from({ length: batch }, (_, b) => Array.from({ length: PROMPT_TOKENS }, (_, i) => 1000 + 37 * b + i)),
    };
    for (const numBeams of [1, 5]) {
      if (batch === 8 && numBeams === 5) continue;
      for (const useCache of [true, false]) {
        const options = { maxNewTokens: NEW_TOKENS, minNewTokens: NEW_TOKENS, numBeams, useCache };
        generate(model, inputs, { ...options, maxNewTokens: 2, minNewTokens: 2 });
        const started = performance.now();
        const out = generate(model, inputs, options);
        const seconds = (performance.now() - started) / 1000;
        const tokens = out.reduce((n, g) => n + g.tokens.length, 0);
        console.log(`| ${name} | ${batch} | ${numBeams === 1 ? 'greedy' : `${numBeams} beams`} | ${useCache ? 'yes' : 'no'} | ${(tokens / seconds).toFixed(1)} | ${((seconds * 1000) / NEW_TOKENS).toFixed(1)} |`);
      }
    }
    tf.dispose([inputs.imageFeatures, inputs.qformerInputIds, inputs.qformerAttentionMask]);
  }
  model.params.dispose();
}
