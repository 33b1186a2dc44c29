/** A source record becomes an InstructRecord: catalog fields, media keys and provenance hash filled in. */
import { datasetInfo } from '../../catalog.ts';
import type { InstructRecord } from '../../record.ts';
import type { SourceRecord } from '../../sources/types.ts';

/** Fields are copied one by one: a rest spread of the source record costs more than encoding it. */
export function finishRecord(s: SourceRecord, images: string[], sourceSha256: string): InstructRecord {
  const info = datasetInfo(s.dataset);
  return {
    id: s.id,
    dataset: s.dataset,
    task: info.task,
    category: info.category,
    split: s.split,
    heldOut: info.heldOut,
    images,
    question: s.question,
    answers: s.answers,
    answerWeights: s.answerWeights,
    choices: s.choices,
    answerIndex: s.answerIndex,
    context: s.context,
    ocrTokens: s.ocrTokens,
    dialog: s.dialog,
    conversation: s.conversation,
    label: s.label,
    meta: s.meta,
    sourceFile: s.sourceFile,
    sourceIndex: s.sourceIndex,
    sourceSha256,
    license: info.license,
  };
}
