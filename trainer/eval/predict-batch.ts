/**
 * One batch of examples through the model with its dataset's protocol: image features, soft prompt,
 * then free generation or candidate ranking; returns the predictions file's lines.
 */
import type { TokenLimits } from '../../pipelines/format/index.ts';
import type { StreamTokenizers } from '../../pipelines/stream/index.ts';
import type { InstructBlip, SoftPromptInputs } from '../model/instructblip.ts';
import type { AnswerVocabulary } from './answer-vocabulary.ts';
import type { EvalExample } from './eval-split.ts';
import { generate } from './generate.ts';
import type { EvalImageFeatures } from './image-features.ts';
import type { PredictionLine } from './prediction-line.ts';
import { CandidateEncoder, type PromptTokens, promptTokens } from './prompt-tokens.ts';
import type { EvalProtocol, GenerationProtocol, RankingProtocol } from './protocol.ts';
import { rankBatch } from './rank-batch.ts';
import { candidateTexts, rankedPrediction } from './ranked-prediction.ts';
import { disposeInputs, softPromptInputs } from './soft-prompt-inputs.ts';

export interface BatchPredictor {
  model: InstructBlip;
  tokenizers: StreamTokenizers;
  decode: (ids: readonly number[]) => string;
  limits: TokenLimits;
  features: EvalImageFeatures;
  candidates: CandidateEncoder;
  /** Candidate rows per ranking pass. */
  candidateRows: number;
}

function baseLine(example: EvalExample): Pick<PredictionLine, 'id' | 'prompt' | 'templateId' | 'references'> {
  return { id: example.record.id, prompt: example.prompt.instruction, templateId: example.prompt.templateId, references: example.prompt.references };
}

function generateLines(p: BatchPredictor, protocol: GenerationProtocol, batch: readonly EvalExample[], inputs: SoftPromptInputs, prompts: readonly PromptTokens[]): PredictionLine[] {
  const { minNewTokens, maxNewTokens, numBeams, lengthPenalty } = protocol;
  const generated = generate(p.model, { ...inputs, promptIds: prompts.map((t) => t.lmPromptIds) }, { minNewTokens, maxNewTokens, numBeams, lengthPenalty });
  return batch.map((example, i) => {
    const text = p.decode(generated[i]!.tokens).trim();
    return { ...baseLine(example), prediction: text, generated: { text, tokens: generated[i]!.tokens.length, finished: generated[i]!.finished } };
  });
}

function rankLines(
  p: BatchPredictor, protocol: RankingProtocol, batch: readonly EvalExample[], inputs: SoftPromptInputs, prompts: readonly PromptTokens[], vocabulary: AnswerVocabulary | null,
): PredictionLine[] {
  const texts = batch.map((example) => candidateTexts(protocol, example, vocabulary));
  const scores = rankBatch(p.model, inputs, prompts.map((t) => t.lmPromptIds), texts.map((list) => list.map((text) => p.candidates.encode(text))), p.candidateRows);
  return batch.map((example, i) => ({ ...baseLine(example), ...rankedPrediction(protocol, texts[i]!, scores[i]!) }));
}

export async function predictBatch(p: BatchPredictor, protocol: EvalProtocol, batch: readonly EvalExample[], vocabulary: AnswerVocabulary | null): Promise<PredictionLine[]> {
  const prompts = batch.map((example) => promptTokens(example.prompt.instruction, p.tokenizers, p.limits));
  const features = await p.features.forRecords(batch.map((example) => example.record));
  const inputs = softPromptInputs(features, prompts, p.tokenizers.qformer.padId, p.model.cfg.qformer.instructionAware);
  try {
    return protocol.kind === 'generate' ? generateLines(p, protocol, batch, inputs, prompts) : rankLines(p, protocol, batch, inputs, prompts, vocabulary);
  } finally {
    disposeInputs(inputs);
  }
}
