/**
 * Renders a held-out record with its dataset's zero-shot prompt (the paper's Appendix E), together
 * with the references and, for the tasks the paper scores by ranking candidates, the candidate list.
 *
 * Candidates per record: options for ScienceQA/IconQA, the 100 options for Visual Dialog, and the
 * two verbalized labels for VSR (true/false) and Hateful Memes (yes/no). MSVD-QA and MSRVTT-QA are
 * also ranked in the paper, but over the dataset's whole answer vocabulary, which is built by the
 * evaluator from all records, not per record; here they carry references only.
 */
import type { InstructRecord } from '../record.ts';
import type { EvalPrompt } from './example.ts';
import {
  recordError, requireAnswers, requireBinaryLabel, requireChoices, requireContext, requireQuestion,
} from './record-fields.ts';
import { dialogHistory, letteredOptions, ocrTokenList } from './slot-text.ts';
import type { SlotValues, TemplateLibrary } from './templates.ts';

interface PromptInput {
  slots: SlotValues;
  references: string[];
  candidates: string[] | null;
  answerIndex: number | null;
}

interface EvalFormat {
  promptId: string;
  input(record: InstructRecord): PromptInput;
}

const caption: EvalFormat = {
  promptId: 'eval/caption',
  input: (record) => ({ slots: {}, references: [...requireAnswers(record)], candidates: null, answerIndex: null }),
};

/** Answers may be withheld (VizWiz test-dev is scored by a server), so references may be empty. */
const shortAnswer: EvalFormat = {
  promptId: 'eval/short-answer',
  input: (record) => ({ slots: { question: requireQuestion(record) }, references: [...record.answers], candidates: null, answerIndex: null }),
};

function binary(promptId: string, slotsOf: (record: InstructRecord) => SlotValues, positive: string, negative: string): EvalFormat {
  return {
    promptId,
    input: (record) => {
      const answerIndex = requireBinaryLabel(record) === 1 ? 0 : 1;
      const candidates = [positive, negative];
      return { slots: slotsOf(record), references: [candidates[answerIndex]], candidates, answerIndex };
    },
  };
}

function ranked(promptId: string, slotsOf: (record: InstructRecord) => SlotValues): EvalFormat {
  return {
    promptId,
    input: (record) => {
      const { choices, answerIndex } = requireChoices(record);
      return { slots: slotsOf(record), references: [choices[answerIndex]], candidates: [...choices], answerIndex };
    },
  };
}

const EVAL_FORMATS: Readonly<Record<string, EvalFormat>> = {
  nocaps: caption,
  flickr30k: caption,
  gqa: shortAnswer,
  vizwiz: shortAnswer,
  ivqa: shortAnswer,
  'msvd-qa': shortAnswer,
  'msrvtt-qa': shortAnswer,
  textvqa: {
    promptId: 'eval/textvqa',
    input: (record) => ({
      slots: { question: requireQuestion(record), ocrTokens: ocrTokenList(record.ocrTokens) },
      references: [...record.answers],
      candidates: null,
      answerIndex: null,
    }),
  },
  vsr: binary('eval/vsr', (record) => ({ question: requireQuestion(record) }), 'true', 'false'),
  'hateful-memes': binary('eval/hateful-memes', (record) => ({ context: requireContext(record) }), 'yes', 'no'),
  iconqa: ranked('eval/iconqa', (record) => ({
    question: requireQuestion(record), options: letteredOptions(requireChoices(record).choices),
  })),
  scienceqa: ranked('eval/scienceqa', (record) => ({
    context: record.context?.trim() ? record.context : '',
    question: requireQuestion(record),
    options: letteredOptions(requireChoices(record).choices),
  })),
  visdial: ranked('eval/visdial', (record) => ({ history: dialogHistory(record.dialog), question: requireQuestion(record) })),
};

/** The prompt id each held-out dataset is evaluated with. */
export const EVAL_PROMPT_IDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EVAL_FORMATS).map(([dataset, format]) => [dataset, format.promptId]),
);

export function renderForEvaluation(record: InstructRecord, library: TemplateLibrary): EvalPrompt {
  if (!record.heldOut) throw recordError(record, 'held-in records are rendered with the training templates (renderForTraining)');
  const format = EVAL_FORMATS[record.dataset];
  if (!format) throw recordError(record, `no evaluation prompt for this dataset; prompts exist for: ${Object.keys(EVAL_FORMATS).join(', ')}`);
  const { slots, ...truth } = format.input(record);
  const template = library.template(format.promptId);
  return { instruction: template.render(slots), templateId: template.id, ...truth };
}
