/**
 * The index of the right answer among a record's options (ScienceQA and IconQA `answer`, Visual
 * Dialog `gt_index`): an index outside the options is quarantined `answer-index-out-of-range`,
 * since the record could never be scored. Shared by the held-out multiple-choice adapters.
 */
import { BadRecord, int, type JsonObject } from '../common/fields.ts';

export function choiceIndex(obj: JsonObject, key: string, choices: readonly unknown[]): number {
  const index = int(obj, key);
  if (index < 0 || index >= choices.length) {
    throw new BadRecord('answer-index-out-of-range', `"${key}" is ${index}, but there are ${choices.length} options (0..${choices.length - 1})`);
  }
  return index;
}
