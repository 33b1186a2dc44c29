/**
 * How each held-out dataset is evaluated (paper §2.5, research/instructblip-facts.md §2.2): free
 * generation for captioning and open-ended QA, log-likelihood ranking of candidates for multiple
 * choice, classification, dialog and the video QA sets.
 *
 * Generation limits follow LAVIS's evaluation configs: short answers as its predict_answers (5
 * beams, 1 to 10 new tokens, length penalty -1, which favours short answers); captions as its COCO
 * caption eval yaml (5 beams, 8 to 30 new tokens, length penalty 1). LAVIS's zero-shot NoCaps yaml
 * allows 10 to 80; the shorter COCO limits are used for both caption sets because "A short image
 * description" asks for a COCO-length caption.
 *
 * Ranking scores each candidate as the sum of its tokens' log-probabilities, EOS included (LAVIS's
 * _predict_class sums the per-token loss; training targets end in EOS, so a candidate that is the
 * prefix of a longer one is not favoured for free).
 */
import { datasetMetric, type PredictionKind } from './metrics/index.ts';

export interface GenerationProtocol {
  kind: 'generate';
  minNewTokens: number;
  maxNewTokens: number;
  numBeams: number;
  lengthPenalty: number;
}

export type CandidateSource =
  /** The record's own candidates (options, the 100 Visual Dialog answers). */
  | { from: 'record' }
  /**
   * The record's two labels, each scored through a few verbalizers: class i's log-likelihood is
   * log sum exp over classes[i]'s verbalizers. classes[i][0] is the label text the record carries.
   */
  | { from: 'verbalizers'; classes: readonly (readonly string[])[] }
  /** The dataset's answer vocabulary (answer-vocabulary.ts), the same for every record. */
  | { from: 'vocabulary' };

export interface RankingProtocol {
  kind: 'rank';
  candidates: CandidateSource;
  /** What the metric takes from the ranking (trainer/eval/metrics). */
  prediction: PredictionKind;
}

export type EvalProtocol = GenerationProtocol | RankingProtocol;

export const SHORT_ANSWER: GenerationProtocol = { kind: 'generate', minNewTokens: 1, maxNewTokens: 10, numBeams: 5, lengthPenalty: -1 };
export const CAPTION: GenerationProtocol = { kind: 'generate', minNewTokens: 8, maxNewTokens: 30, numBeams: 5, lengthPenalty: 1 };

/** VSR: the paper's example expansion of a binary label ("yes/true for positive, no/false for negative"). */
export const VSR_VERBALIZERS = [['true', 'yes'], ['false', 'no']] as const;
/** Hateful Memes: the prompt asks "Is it hateful?", so yes/no only; P("yes") over the two feeds the AUC. */
export const HATEFUL_MEMES_VERBALIZERS = [['yes'], ['no']] as const;

function ranked(dataset: string, candidates: CandidateSource): RankingProtocol {
  return { kind: 'rank', candidates, prediction: datasetMetric(dataset).prediction };
}

const PROTOCOLS: Readonly<Record<string, EvalProtocol>> = {
  nocaps: CAPTION,
  flickr30k: CAPTION,
  gqa: SHORT_ANSWER,
  vizwiz: SHORT_ANSWER,
  textvqa: SHORT_ANSWER,
  ivqa: SHORT_ANSWER,
  scienceqa: ranked('scienceqa', { from: 'record' }),
  iconqa: ranked('iconqa', { from: 'record' }),
  visdial: ranked('visdial', { from: 'record' }),
  vsr: ranked('vsr', { from: 'verbalizers', classes: VSR_VERBALIZERS }),
  'hateful-memes': ranked('hateful-memes', { from: 'verbalizers', classes: HATEFUL_MEMES_VERBALIZERS }),
  'msvd-qa': ranked('msvd-qa', { from: 'vocabulary' }),
  'msrvtt-qa': ranked('msrvtt-qa', { from: 'vocabulary' }),
};

export function evalProtocol(dataset: string): EvalProtocol {
  if (!Object.hasOwn(PROTOCOLS, dataset)) throw new Error(`no evaluation protocol for "${dataset}"; held-out datasets: ${Object.keys(PROTOCOLS).join(', ')}`);
  return PROTOCOLS[dataset]!;
}

/** With the beam count overridden (--num-beams); ranking protocols are unchanged. */
export function withBeams(protocol: EvalProtocol, numBeams: number | undefined): EvalProtocol {
  return protocol.kind === 'generate' && numBeams !== undefined ? { ...protocol, numBeams } : protocol;
}

/** One line for the summary and the table's notes. */
export function describeProtocol(protocol: EvalProtocol): string {
  if (protocol.kind === 'generate') {
    return `generate: ${protocol.numBeams === 1 ? 'greedy' : `${protocol.numBeams} beams`}, ${protocol.minNewTokens}-${protocol.maxNewTokens} new tokens, length penalty ${protocol.lengthPenalty}`;
  }
  const c = protocol.candidates;
  const over = c.from === 'record' ? "the record's candidates" : c.from === 'vocabulary' ? 'the answer vocabulary' : c.classes.map((v) => v.join('/')).join(' vs ');
  return `rank by log-likelihood over ${over}`;
}
