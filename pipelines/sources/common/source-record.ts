/**
 * Builders for adapter output with the empty defaults every COCO-family record shares, so each
 * adapter states only the fields its dataset has.
 */
import type { AdapterOutput, SourceRecord } from '../types.ts';
import { BadRecord } from './fields.ts';

type Required = 'id' | 'dataset' | 'split' | 'sourceFile' | 'sourceIndex' | 'media';

/**
 * A field left out (or undefined) gets its empty default. Fields are copied one by one: spreading
 * them over the defaults cost more than the rest of a VQAv2 record's conversion.
 */
export function sourceRecord(fields: Pick<SourceRecord, Required> & Partial<SourceRecord>): AdapterOutput {
  return {
    record: {
      id: fields.id,
      dataset: fields.dataset,
      split: fields.split,
      sourceFile: fields.sourceFile,
      sourceIndex: fields.sourceIndex,
      media: fields.media,
      question: fields.question ?? null,
      answers: fields.answers ?? [],
      answerWeights: fields.answerWeights ?? [],
      choices: fields.choices ?? [],
      answerIndex: fields.answerIndex ?? null,
      context: fields.context ?? null,
      ocrTokens: fields.ocrTokens ?? [],
      dialog: fields.dialog ?? [],
      conversation: fields.conversation ?? [],
      label: fields.label ?? null,
      meta: fields.meta ?? null,
    },
  };
}

export interface RecordPlace {
  dataset: string;
  split: string;
  sourceFile: string;
  sourceIndex: number;
}

export const quarantined = (place: RecordPlace, err: BadRecord): AdapterOutput => ({
  quarantine: { ...place, reason: err.reason, detail: `${place.sourceFile} record ${place.sourceIndex}: ${err.detail}` },
});

/**
 * Runs the conversion of one source record into its output records (a VQA question gives a VQA
 * record and a question-generation record); a BadRecord becomes one quarantine entry per place,
 * anything else is a real error and propagates. A conversion may fill in a place's split once it
 * has read it.
 */
export async function guardedAll(places: RecordPlace[], convert: () => Promise<AdapterOutput[]>): Promise<AdapterOutput[]> {
  try {
    return await convert();
  } catch (err) {
    return quarantinedAll(places, err);
  }
}

/** What a conversion that threw `err` gives: one quarantine entry per place for a BadRecord; anything else propagates. */
export function quarantinedAll(places: RecordPlace[], err: unknown): AdapterOutput[] {
  if (err instanceof BadRecord) return places.map((place) => quarantined(place, err));
  throw err;
}

export async function guarded(place: RecordPlace, convert: () => Promise<AdapterOutput>): Promise<AdapterOutput> {
  return (await guardedAll([place], async () => [await convert()]))[0];
}
