/**
 * LAVIS's answer vocabulary for MSVD-QA and MSRVTT-QA, `train_ans2label.json`: a JSON object from
 * answer to class index. InstructBLIP scores these two datasets by ranking the vocabulary's answers
 * (research/instructblip-facts.md §2.2), so the file is kept beside the QA files and every record
 * names it in `meta.answerVocabulary`; see the source's spec.ts for how the evaluator finds it.
 */
import type { RawAccess } from '../../raw/access.ts';
import { parseJson } from '../common/json-input.ts';

export const ANSWER_VOCABULARY_FILE = 'train_ans2label.json';

/** The answers of an ans2label object in class-index order; anything else is an error naming the file. */
export function vocabularyAnswers(value: unknown, label: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${label} is not a JSON object from answer to class index`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const labels = new Set<unknown>();
  for (const [answer, index] of entries) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || labels.has(index)) {
      throw new Error(`${label}: answer ${JSON.stringify(answer)} has class index ${JSON.stringify(index)}, expected a distinct non-negative integer`);
    }
    labels.add(index);
  }
  return entries.sort((a, b) => (a[1] as number) - (b[1] as number)).map(([answer]) => answer);
}

/** The vocabulary file's path under raw/<source> when the source has a valid one, else null. */
export async function answerVocabularyFile(raw: RawAccess, source: string): Promise<string | null> {
  if (!raw.exists(source, ANSWER_VOCABULARY_FILE)) return null;
  const label = `${source}/${ANSWER_VOCABULARY_FILE}`;
  const answers = vocabularyAnswers(parseJson(await raw.readFile(source, ANSWER_VOCABULARY_FILE), source, label), label);
  if (answers.length === 0) throw new Error(`${label} is empty; delete it and run ingest for "${source}" again`);
  return ANSWER_VOCABULARY_FILE;
}
