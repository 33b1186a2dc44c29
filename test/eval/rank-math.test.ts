import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bestIndex, classLogLikelihoods, logSumExp, normalizedProbability, topIndices } from '../../trainer/eval/rank-math.ts';
import { HATEFUL_MEMES_VERBALIZERS, VSR_VERBALIZERS, evalProtocol } from '../../trainer/eval/protocol.ts';
import { rankedPrediction } from '../../trainer/eval/ranked-prediction.ts';
import type { RankingProtocol } from '../../trainer/eval/protocol.ts';

const logLikelihood = fc.double({ min: -200, max: 0, noNaN: true });

test('logSumExp is log of summed probabilities, stable far below exp underflow', () => {
  assert.ok(Math.abs(logSumExp([Math.log(0.2), Math.log(0.3)]) - Math.log(0.5)) < 1e-12);
  assert.ok(Math.abs(logSumExp([-1000, -1000]) - (-1000 + Math.log(2))) < 1e-9);
  assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
  fc.assert(fc.property(fc.array(logLikelihood, { minLength: 1, maxLength: 8 }), (values) => logSumExp(values) >= Math.max(...values) - 1e-9));
});

test('the normalized probability of a class is its softmax share and the shares sum to 1', () => {
  fc.assert(fc.property(logLikelihood, logLikelihood, (yes, no) => {
    const p = normalizedProbability([yes, no], 0);
    const q = normalizedProbability([yes, no], 1);
    return p >= 0 && p <= 1 && Math.abs(p + q - 1) < 1e-9 && (Math.abs(yes - no) < 1e-9 || (yes > no) === (p > 0.5));
  }));
});

test('bestIndex and topIndices break ties by the lower index', () => {
  assert.equal(bestIndex([-2, -1, -1]), 1);
  assert.deepEqual(topIndices([-3, -1, -1, -2], 3), [1, 2, 3]);
});

test('VSR: a class scores the probability mass of its verbalizers (true/yes vs false/no)', () => {
  const protocol = evalProtocol('vsr') as RankingProtocol;
  assert.deepEqual(protocol.candidates, { from: 'verbalizers', classes: VSR_VERBALIZERS });
  // true -3, yes -1 | false -2, no -2: P(true class) = e^-3 + e^-1 > P(false) = 2 e^-2.
  const { prediction, ranked } = rankedPrediction(protocol, ['true', 'yes', 'false', 'no'], [-3, -1, -2, -2]);
  assert.equal(prediction, 0);
  assert.deepEqual(ranked.map((r) => r.text), ['true', 'false']);
  assert.ok(Math.abs(ranked[0]!.logLikelihood - classLogLikelihoods([[-3, -1]])[0]!) < 1e-12);
  assert.deepEqual(ranked[1]!.verbalizers, { false: -2, no: -2 });
});

test('Hateful Memes: the prediction is P("yes") renormalized over yes/no, for the AUC', () => {
  const protocol = evalProtocol('hateful-memes') as RankingProtocol;
  assert.deepEqual(protocol.candidates, { from: 'verbalizers', classes: HATEFUL_MEMES_VERBALIZERS });
  const { prediction } = rankedPrediction(protocol, ['yes', 'no'], [Math.log(0.02), Math.log(0.06)]);
  assert.ok(Math.abs((prediction as number) - 0.25) < 1e-12);
});

test('Visual Dialog keeps every option score (MRR); ScienceQA the best index; video QA the best answer text', () => {
  const scores = [-5, -2, -9];
  assert.deepEqual(rankedPrediction(evalProtocol('visdial') as RankingProtocol, ['a', 'b', 'c'], scores).prediction, scores);
  assert.equal(rankedPrediction(evalProtocol('scienceqa') as RankingProtocol, ['a', 'b', 'c'], scores).prediction, 1);
  const video = rankedPrediction(evalProtocol('msvd-qa') as RankingProtocol, ['red', 'blue', 'dog'], scores);
  assert.equal(video.prediction, 'blue');
  assert.deepEqual(video.ranked.map((r) => r.text), ['blue', 'red', 'dog']);
});
