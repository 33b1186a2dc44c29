/**
 * Renders a held-in record into training examples: {instruction, target, templateId}.
 *
 * Rules (the paper's, where it states them; ours where marked in templates/):
 * - the template is drawn uniformly from the dataset's family per (seed, record id, epoch);
 * - captioning: the target is one reference caption, uniformly;
 * - VQA: the target is one human answer, with probability proportional to its frequency
 *   (answerWeights; uniformly over the listed answers, repeats included, when there are none);
 * - question generation: the answer fills the template and the question is the target;
 * - TextCaps and OCR-VQA: `OCR tokens: ...` comes first, right after the image;
 * - A-OKVQA: see AOKVQA_MULTIPLE_CHOICE_SHARE;
 * - LLaVA: one example per assistant turn (render-conversation.ts).
 */
import type { InstructRecord } from '../record.ts';
import { CHOICE_STREAMS, pickUniform, pickWeightedIndex, recordUniform, type RenderContext } from './choice.ts';
import type { RenderedExample } from './example.ts';
import { renderConversation } from './render-conversation.ts';
import { recordError, requireAnswers, requireChoices, requireQuestion } from './record-fields.ts';
import { letteredOptions, ocrPrefix } from './slot-text.ts';
import type { SlotValues, TemplateLibrary } from './templates.ts';

/** The template families each held-in dataset is rendered with. */
export const TRAINING_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  'coco-caption': ['caption'],
  'web-capfilt': ['caption'],
  textcaps: ['caption-reading'],
  vqav2: ['vqa'],
  okvqa: ['vqa'],
  aokvqa: ['vqa', 'multiple-choice'],
  ocrvqa: ['vqa-reading'],
  'vqav2-qg': ['vqg'],
  'okvqa-qg': ['vqg'],
  'aokvqa-qg': ['vqg'],
  'llava-conversation': ['conversation'],
  'llava-detail': ['conversation'],
  'llava-reasoning': ['conversation'],
};

/**
 * A-OKVQA has both direct answers and a multiple-choice form. Per (seed, record id, epoch), a record
 * renders as multiple choice with this probability, else open-ended; a record that has only one form
 * always renders in that form. Half and half keeps both skills; the paper's remedy for
 * over-training the multiple-choice form is the lower sampling weight of A-OKVQA (pipelines/mixture).
 */
export const AOKVQA_MULTIPLE_CHOICE_SHARE = 0.5;

type Renderer = (record: InstructRecord, library: TemplateLibrary, ctx: RenderContext) => RenderedExample[];

const RENDERERS: Readonly<Record<string, Renderer>> = {
  'coco-caption': captioning('caption'),
  'web-capfilt': captioning('caption'),
  textcaps: captioning('caption-reading', ocrPrefix),
  vqav2: questionAnswering('vqa'),
  okvqa: questionAnswering('vqa'),
  aokvqa: aokvqa,
  ocrvqa: questionAnswering('vqa-reading', ocrPrefix),
  'vqav2-qg': questionGeneration,
  'okvqa-qg': questionGeneration,
  'aokvqa-qg': questionGeneration,
  'llava-conversation': renderConversation,
  'llava-detail': renderConversation,
  'llava-reasoning': renderConversation,
};

/** Every training example of one record (one, except LLaVA: one per assistant turn). */
export function renderForTraining(record: InstructRecord, library: TemplateLibrary, ctx: RenderContext): RenderedExample[] {
  if (record.heldOut) throw recordError(record, 'held-out records are for zero-shot evaluation only (renderForEvaluation)');
  const render = RENDERERS[record.dataset];
  if (!render) throw recordError(record, `no training format for this dataset; formats exist for: ${Object.keys(RENDERERS).join(', ')}`);
  return render(record, library, ctx);
}

function withTemplate(
  record: InstructRecord, library: TemplateLibrary, ctx: RenderContext, familyName: string,
  slots: SlotValues, target: string, prefix = '',
): RenderedExample {
  const template = pickUniform(library.family(familyName).templates, recordUniform(ctx, CHOICE_STREAMS.template, record.id));
  return { instruction: prefix + template.render(slots), target, templateId: template.id };
}

function captioning(familyName: string, prefixOf: (ocrTokens: readonly string[]) => string = () => ''): Renderer {
  return (record, library, ctx) => {
    const target = pickUniform(requireAnswers(record), recordUniform(ctx, CHOICE_STREAMS.answer, record.id));
    return [withTemplate(record, library, ctx, familyName, {}, target, prefixOf(record.ocrTokens))];
  };
}

function questionAnswering(familyName: string, prefixOf: (ocrTokens: readonly string[]) => string = () => ''): Renderer {
  return (record, library, ctx) => {
    const question = requireQuestion(record);
    return [withTemplate(record, library, ctx, familyName, { question }, humanAnswer(record, ctx), prefixOf(record.ocrTokens))];
  };
}

function humanAnswer(record: InstructRecord, ctx: RenderContext): string {
  const answers = requireAnswers(record);
  const u = recordUniform(ctx, CHOICE_STREAMS.answer, record.id);
  return record.answerWeights.length > 0 ? answers[pickWeightedIndex(record.answerWeights, u)] : pickUniform(answers, u);
}

function questionGeneration(record: InstructRecord, library: TemplateLibrary, ctx: RenderContext): RenderedExample[] {
  const question = requireQuestion(record);
  const answer = requireAnswers(record)[0];
  return [withTemplate(record, library, ctx, 'vqg', { answer }, question)];
}

function aokvqa(record: InstructRecord, library: TemplateLibrary, ctx: RenderContext): RenderedExample[] {
  const question = requireQuestion(record);
  const hasChoices = record.choices.length > 0;
  const hasAnswers = record.answers.length > 0;
  if (!hasChoices && !hasAnswers) throw recordError(record, 'A-OKVQA record has neither choices nor direct answers');
  const multipleChoice = hasChoices
    && (!hasAnswers || recordUniform(ctx, CHOICE_STREAMS.aokvqaFormat, record.id) < AOKVQA_MULTIPLE_CHOICE_SHARE);
  if (!multipleChoice) return questionAnswering('vqa')(record, library, ctx);
  const { choices, answerIndex } = requireChoices(record);
  const options = letteredOptions(choices);
  return [withTemplate(record, library, ctx, 'multiple-choice', { question, options }, choices[answerIndex])];
}
