/**
 * How list-shaped record fields become slot text. Shared by the training and the evaluation
 * renderers so that a held-out prompt formats options, OCR tokens and history exactly as training did.
 */
import type { DialogRound } from '../record.ts';

/**
 * LAVIS keeps the first 30 OCR tokens at inference; training uses the same cap so the model never
 * sees a longer list than it will be evaluated with.
 */
export const MAX_OCR_TOKENS = 30;

/** `(a) red (b) blue`: the paper lists options with letter labels (ScienceQA, IconQA). */
export function letteredOptions(choices: readonly string[]): string {
  if (choices.length > 26) throw new Error(`cannot letter ${choices.length} options (at most 26)`);
  return choices.map((c, i) => `(${String.fromCharCode(97 + i)}) ${c}`).join(' ');
}

/** Tokens joined by `, `, as LLaVA's and BLIVA's TextVQA prompts list them. */
export function ocrTokenList(tokens: readonly string[]): string {
  return tokens.slice(0, MAX_OCR_TOKENS).join(', ');
}

/**
 * The paper puts `OCR tokens: ...` right after the image query embeddings (Table 5 caption); the
 * wording follows its TextVQA prompt. No tokens, no prefix: OCR-VQA ships without OCR (LAVIS #435).
 */
export function ocrPrefix(tokens: readonly string[]): string {
  return tokens.length === 0 ? '' : `OCR tokens: ${ocrTokenList(tokens)}. `;
}

/** Visual Dialog history rounds as `Q: ... A: ...`, oldest first. */
export function dialogHistory(rounds: readonly DialogRound[]): string {
  return rounds.map((r) => `Q: ${r.question} A: ${r.answer}`).join(' ');
}
