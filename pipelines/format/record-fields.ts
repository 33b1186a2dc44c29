/**
 * Reading the fields a template needs out of a record, with errors that name the dataset and the
 * record: a bad record must stop the run where it can be found, not render an empty slot.
 */
import type { InstructRecord } from '../record.ts';

export function recordError(record: InstructRecord, message: string): Error {
  return new Error(`dataset ${record.dataset}, record ${record.id}: ${message}`);
}

export function requireQuestion(record: InstructRecord): string {
  if (typeof record.question !== 'string' || record.question.trim() === '') {
    throw recordError(record, 'question is missing or empty');
  }
  return record.question;
}

/** The answers (or captions), all non-empty; with weights, one finite non-negative weight each. */
export function requireAnswers(record: InstructRecord): readonly string[] {
  const { answers, answerWeights } = record;
  if (answers.length === 0) throw recordError(record, 'answers is empty');
  answers.forEach((a, i) => {
    if (typeof a !== 'string' || a.trim() === '') throw recordError(record, `answers[${i}] is empty`);
  });
  if (answerWeights.length > 0) {
    if (answerWeights.length !== answers.length) {
      throw recordError(record, `answerWeights has ${answerWeights.length} entries for ${answers.length} answers`);
    }
    if (!answerWeights.every((w) => Number.isFinite(w) && w >= 0) || !answerWeights.some((w) => w > 0)) {
      throw recordError(record, `answerWeights must be finite, non-negative and not all zero: ${JSON.stringify(answerWeights)}`);
    }
  }
  return answers;
}

/** The options and the index of the correct one. */
export function requireChoices(record: InstructRecord): { choices: readonly string[]; answerIndex: number } {
  const { choices, answerIndex } = record;
  if (choices.length === 0) throw recordError(record, 'choices is empty');
  choices.forEach((c, i) => {
    if (typeof c !== 'string' || c.trim() === '') throw recordError(record, `choices[${i}] is empty`);
  });
  if (answerIndex === null || !Number.isInteger(answerIndex) || answerIndex < 0 || answerIndex >= choices.length) {
    throw recordError(record, `answerIndex ${answerIndex} does not point into ${choices.length} choices`);
  }
  return { choices, answerIndex };
}

export function requireBinaryLabel(record: InstructRecord): 0 | 1 {
  if (record.label !== 0 && record.label !== 1) throw recordError(record, `label must be 0 or 1, got ${record.label}`);
  return record.label;
}

export function requireContext(record: InstructRecord): string {
  if (typeof record.context !== 'string' || record.context.trim() === '') {
    throw recordError(record, 'context is missing or empty');
  }
  return record.context;
}
