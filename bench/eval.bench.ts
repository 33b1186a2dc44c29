/**
 * Evaluation speed on the demo model (random weights, a 4,000-word LM vocabulary; wasm, 2 threads):
 * examples per second for free generation (the short-answer and caption protocols) and for
 * candidate ranking (VSR's four verbalizers, four multiple-choice options, Visual Dialog's 100
 * options, a 1,000-answer video QA vocabulary), image encoding included, media decoding and file
 * writes not. Then the ranking scorer's one batched pass (prefix once, its cache shared by every
 * candidate) against one pass per candidate (prefix and candidate through the LM each time).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../trainer/backend.ts';
import { demoModel } from '../trainer/configs/models.ts';
import { generate } from '../trainer/eval/generate.ts';
import { CAPTION, type GenerationProtocol, SHORT_ANSWER } from '../trainer/eval/protocol.ts';
import { rankBatch } from '../trainer/eval/rank-batch.ts';
import { disposeInputs, softPromptInputs } from '../trainer/eval/soft-prompt-inputs.ts';
import { createInstructBlip, encodeImages, type InstructBlip, softPrompt } from '../trainer/model/instructblip.ts';
import { randomInit } from '../trainer/model/params.ts';
import { leftPaddedPrefix } from '../trainer/model/prefix.ts';
import { scoreAfterPrefix } from '../trainer/model/score.ts';
import { tidy } from '../trainer/model/tidy.ts';

const VOCAB = 4000;
const BATCH = 8;
const PROMPT_TOKENS = 14;
const INSTRUCTION_TOKENS = 16;
const CANDIDATE_ROWS = 512;

const backend = await initBackend({ backend: 'wasm', threads: 2 });
const cfg = demoModel({ vocabSize: VOCAB, bosTokenId: 1, eosTokenId: 2, padTokenId: 3 });
const model = createInstructBlip(cfg, randomInit(7));
const size = cfg.vision.imageSize;

const ids = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 10 + ((seed * 7919 + i * 104729) % (VOCAB - 10)));
const candidateSet = (count: number, length: number) => Array.from({ length: count }, (_, c) => [...ids(length, c + 1), 2]);
const prompts = Array.from({ length: BATCH }, (_, b) => ({ qformerIds: ids(INSTRUCTION_TOKENS, b + 100), lmPromptIds: [1, ...ids(PROMPT_TOKENS, b + 200)] }));

/** The batch's soft-prompt inputs from fresh pixels (the vision encoder runs every time, as for uncached images). */
function batchInputs(examples: number) {
  const features = tf.tidy(() => encodeImages(model, tf.randomNormal([examples, 3, size, size], 0, 1, 'float32', 3)));
  return softPromptInputs(features, prompts.slice(0, examples), 0, true);
}

function timed(repeats: number, run: () => void): number {
  run();
  const started = performance.now();
  for (let i = 0; i < repeats; i++) run();
  return (performance.now() - started) / 1000 / repeats;
}

function generationRate(protocol: GenerationProtocol, repeats: number): number {
  const seconds = timed(repeats, () => {
    const inputs = batchInputs(BATCH);
    try {
      generate(model, { ...inputs, promptIds: prompts.map((p) => p.lmPromptIds) }, protocol);
    } finally {
      disposeInputs(inputs);
    }
  });
  return BATCH / seconds;
}

function rankingRate(candidates: number[][], repeats: number): number {
  const seconds = timed(repeats, () => {
    const inputs = batchInputs(BATCH);
    try {
      rankBatch(model, inputs, prompts.map((p) => p.lmPromptIds), prompts.map(() => candidates), CANDIDATE_ROWS);
    } finally {
      disposeInputs(inputs);
    }
  });
  return BATCH / seconds;
}

/** One example's candidates: one batched pass, or one LM pass (prefix + candidate) per candidate. */
function passComparison(m: InstructBlip, candidates: number[][], repeats: number): { batched: number; perCandidate: number } {
  const inputs = batchInputs(1);
  const prefix = tidy(() => leftPaddedPrefix(m.lm, softPrompt(m, inputs), [prompts[0]!.lmPromptIds]));
  try {
    const batched = timed(repeats, () => void scoreAfterPrefix(m.lm, prefix, [candidates]));
    const perCandidate = timed(repeats, () => {
      for (const candidate of candidates) scoreAfterPrefix(m.lm, prefix, [[candidate]]);
    });
    return { batched, perCandidate };
  } finally {
    tf.dispose([prefix.embeds, prefix.mask]);
    disposeInputs(inputs);
  }
}

console.log(`backend: ${backend.description}; demo model (vision ${cfg.vision.numLayers}x${cfg.vision.hiddenSize} at ${size} px, Q-Former ${cfg.qformer.numLayers}x${cfg.qformer.hiddenSize} with ${cfg.qformer.numQueryTokens} queries, LM ${cfg.lm.numLayers}x${cfg.lm.hiddenSize}, vocab ${VOCAB}), random weights; batch ${BATCH}, ${PROMPT_TOKENS + 1} LM prompt tokens\n`);
console.log('| protocol | per example | examples/s |');
console.log('| --- | --- | --- |');
const exact = (p: GenerationProtocol): GenerationProtocol => ({ ...p, minNewTokens: p.maxNewTokens });
console.log(`| generation, short answer (${SHORT_ANSWER.numBeams} beams) | ${SHORT_ANSWER.maxNewTokens} new tokens (EOS held off) | ${generationRate(exact(SHORT_ANSWER), 2).toFixed(2)} |`);
console.log(`| generation, short answer (greedy) | ${SHORT_ANSWER.maxNewTokens} new tokens | ${generationRate(exact({ ...SHORT_ANSWER, numBeams: 1 }), 3).toFixed(2)} |`);
console.log(`| generation, caption (${CAPTION.numBeams} beams) | ${CAPTION.maxNewTokens} new tokens | ${generationRate(exact(CAPTION), 1).toFixed(2)} |`);
for (const [name, candidates, repeats] of [
  ['ranking, VSR verbalizers', candidateSet(4, 1), 5],
  ['ranking, multiple choice', candidateSet(4, 5), 5],
  ['ranking, Visual Dialog options', candidateSet(100, 4), 2],
  ['ranking, video QA vocabulary', candidateSet(1000, 2), 1],
] as const) {
  console.log(`| ${name} | ${candidates.length} candidates of ${candidates[0]!.length} tokens (EOS incl.) | ${rankingRate(candidates as number[][], repeats).toFixed(2)} |`);
}

console.log('\nOne example\'s candidates scored in one batched pass (prefix once, cache copied per candidate) vs one pass per candidate:\n');
console.log('| candidates | one batched pass, ms | one pass per candidate, ms | speedup |');
console.log('| --- | --- | --- | --- |');
for (const count of [4, 100]) {
  const { batched, perCandidate } = passComparison(model, candidateSet(count, 4), count === 4 ? 10 : 2);
  console.log(`| ${count} x 4 tokens | ${(batched * 1000).toFixed(1)} | ${(perCandidate * 1000).toFixed(1)} | ${(perCandidate / batched).toFixed(1)}x |`);
}
model.params.dispose();
