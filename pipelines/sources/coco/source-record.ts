/**
 * Builders for adapter output with the empty defaults every COCO-family record shares, so each
 * adapter states only the fields its dataset has.
 */
import type { AdapterOutput, SourceRecord } from '../types.ts';
import { BadRecord } from './fields.ts';

type Required = 'id' | 'dataset' | 'split' | 'sourceFile' | 'sourceIndex' | 'media';

export function sourceRecord(fields: Pick<SourceRecord, Required> & Partial<SourceRecord>): AdapterOutput {
  return {
    record: {
      question: null,
      answers: [],
      answerWeights: [],
      choices: [],
      answerIndex: null,
      context: null,
      ocrTokens: [],
      dialog: [],
      conversation: [],
      label: null,
      meta: null,
      ...fields,
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
 * Runs one record's conversion; a BadRecord becomes a quarantine entry at `place` (whose split
 * the conversion may fill in once it has read it), anything else is a real error and propagates.
 */
export async function guarded(place: RecordPlace, convert: () => Promise<AdapterOutput>): Promise<AdapterOutput> {
  try {
    return await convert();
  } catch (err) {
    if (err instanceof BadRecord) return quarantined(place, err);
    throw err;
  }
}
