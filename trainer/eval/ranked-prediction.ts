/**
 * Which texts a ranking protocol scores for an example, and how their log-likelihoods become the
 * metric's prediction: the best candidate's index (ScienceQA, IconQA, VSR), its text (the video QA
 * vocabularies), P(positive) renormalized over the two labels (Hateful Memes' AUC), or every
 * option's score (Visual Dialog's MRR).
 */
import type { AnswerVocabulary } from './answer-vocabulary.ts';
import type { EvalExample } from './eval-split.ts';
import type { RankedCandidate } from './prediction-line.ts';
import type { RankingProtocol } from './protocol.ts';
import { bestIndex, classLogLikelihoods, normalizedProbability, topIndices } from './rank-math.ts';

/** Vocabulary answers listed per example in the predictions file. */
export const VOCABULARY_SHOWN = 10;

export function candidateTexts(protocol: RankingProtocol, example: EvalExample, vocabulary: AnswerVocabulary | null): readonly string[] {
  const source = protocol.candidates;
  if (source.from === 'vocabulary') {
    if (vocabulary === null) throw new Error(`${example.record.dataset}: ranking over the answer vocabulary, but none was loaded`);
    return vocabulary.answers;
  }
  const own = example.prompt.candidates;
  if (own === null) throw new Error(`record ${example.record.id} has no candidates to rank; rebuild ${example.record.dataset}`);
  if (source.from === 'record') return own;
  source.classes.forEach((verbalizers, i) => {
    if (own[i] !== verbalizers[0]) throw new Error(`record ${example.record.id}: label ${i} is "${own[i]}", the verbalizers expect "${verbalizers[0]}"`);
  });
  return source.classes.flat();
}

export interface RankedPrediction {
  prediction: unknown;
  ranked: RankedCandidate[];
}

function byScore(texts: readonly string[], scores: readonly number[], shown: number): RankedCandidate[] {
  return topIndices(scores, shown).map((i) => ({ text: texts[i]!, logLikelihood: scores[i]! }));
}

/** `scores[i]` is the log-likelihood of candidateTexts(...)[i]. */
export function rankedPrediction(protocol: RankingProtocol, texts: readonly string[], scores: readonly number[]): RankedPrediction {
  const source = protocol.candidates;
  if (source.from === 'verbalizers') {
    let at = 0;
    const perClass = source.classes.map((verbalizers) => verbalizers.map(() => scores[at++]!));
    const classes = classLogLikelihoods(perClass);
    const ranked = topIndices(classes, classes.length).map((c) => ({
      text: source.classes[c]![0]!,
      logLikelihood: classes[c]!,
      verbalizers: Object.fromEntries(source.classes[c]!.map((v, i) => [v, perClass[c]![i]!])),
    }));
    const prediction = protocol.prediction === 'positive-score' ? normalizedProbability(classes, 0) : bestIndex(classes);
    return { prediction, ranked };
  }
  if (source.from === 'vocabulary') return { prediction: texts[bestIndex(scores)], ranked: byScore(texts, scores, VOCABULARY_SHOWN) };
  const prediction = protocol.prediction === 'option-scores' ? [...scores] : bestIndex(scores);
  return { prediction, ranked: byScore(texts, scores, texts.length) };
}
