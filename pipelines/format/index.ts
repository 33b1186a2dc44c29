/** The format stage's public API: what the streaming loader and the evaluator import. */
export type { RenderContext } from './choice.ts';
export type { EvalPrompt, RenderedExample } from './example.ts';
export { EVAL_PROMPT_IDS, renderForEvaluation } from './eval.ts';
export { MAX_OCR_TOKENS } from './slot-text.ts';
export { DEFAULT_TEMPLATE_DIR, IMAGE_MARKER, loadTemplateLibrary, type Template, type TemplateFamily, type TemplateLibrary } from './templates.ts';
export { AOKVQA_MULTIPLE_CHOICE_SHARE, renderForTraining, TRAINING_FAMILIES } from './train.ts';
export { encodeExample, keepFirst, keepLast, PAPER_TOKEN_LIMITS, type EncodedExample, type TokenEncoder, type TokenLimits } from './truncate.ts';
