import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WASM_HEAP_LIMIT_BYTES } from '../../trainer/backend.ts';
import { DEMO_QFORMER, DEMO_VISION, EVA_VIT_G, QFORMER_BASE, demoLm } from '../../trainer/configs/models.ts';
import type { InstructBlipConfig } from '../../trainer/model/config.ts';
import { assertForwardFits, assertTrainingFits, estimateTrainingBytes } from '../../trainer/model/memory.ts';

const wasm = { name: 'wasm' as const, threads: 2, heapLimitBytes: WASM_HEAP_LIMIT_BYTES, description: '' };
const smallLm = demoLm({ vocabSize: 8000, bosTokenId: 1, eosTokenId: 2, padTokenId: 0 });
const shape = (batch: number) => ({ batch, imageTokens: 257, instructionTokens: 32, textTokens: 32, trainVision: false });

test('the real-size Q-Former cannot train in the wasm heap (it aborted or returned garbage when tried), but runs forward', () => {
  // Vision at depth 0: cached features, as training would use them; the estimate still counts its tables.
  const base: InstructBlipConfig = { vision: { ...EVA_VIT_G, numLayers: 0 }, qformer: QFORMER_BASE, lm: smallLm };
  for (const batch of [1, 2, 8]) {
    assert.throws(() => assertTrainingFits(wasm, base, shape(batch), 'qformer-base'), new RegExp(`a training step of qformer-base at batch ${batch} needs about [0-9.]+ GiB, more than the wasm heap of 4.00 GiB; lower the batch size`));
  }
  assert.doesNotThrow(() => assertForwardFits(wasm, base, shape(1), 'qformer-base'));
});

test('the feasibility benchmark configuration and the demo fit with room to spare', () => {
  const bench: InstructBlipConfig = {
    vision: { ...EVA_VIT_G, hiddenSize: 768, numLayers: 0, patchSize: 16 },
    qformer: { ...QFORMER_BASE, hiddenSize: 256, numLayers: 4, numHeads: 4, intermediateSize: 1024, encoderHiddenSize: 768, vocabSize: 30522 },
    lm: { ...smallLm, hiddenSize: 256, intermediateSize: 688, numHeads: 4, numKeyValueHeads: 4, headDim: 64 },
  };
  const estimate = estimateTrainingBytes(bench, { ...shape(8), imageTokens: 197 });
  assert.ok(estimate > 0.5 * 2 ** 30 && estimate < 2 * 2 ** 30, `benchmark estimate ${estimate}`);
  const demo: InstructBlipConfig = { vision: DEMO_VISION, qformer: DEMO_QFORMER, lm: demoLm({ vocabSize: 30522, bosTokenId: 101, eosTokenId: 102, padTokenId: 0 }) };
  assert.doesNotThrow(() => assertTrainingFits(wasm, demo, { batch: 64, imageTokens: 50, instructionTokens: 32, textTokens: 32, trainVision: false }, 'demo'));
});
