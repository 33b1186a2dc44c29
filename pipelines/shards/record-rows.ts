/**
 * The one place InstructRecords become Arrow rows and back (RECORD_SCHEMA from pipelines/record.ts).
 */
import type { RecordBatch } from 'apache-arrow';
import { type InstructRecord, RECORD_SCHEMA } from '../record.ts';
import { BatchBuilder } from './batch-builder.ts';
import { batchRowReader, batchToRows } from './batch-rows.ts';

export function recordLabel(record: Partial<InstructRecord>): string {
  return `${record.dataset ?? '?'}: record ${record.id ?? '?'} (${record.sourceFile ?? '?'} #${record.sourceIndex ?? '?'})`;
}

export class RecordBatchBuilder extends BatchBuilder<InstructRecord> {
  constructor() {
    super(RECORD_SCHEMA);
  }

  override append(record: InstructRecord): void {
    try {
      super.append(record);
    } catch (err) {
      throw new Error(`${recordLabel(record)}: ${(err as Error).message}; fix the adapter`);
    }
  }
}

export function recordsToBatch(records: readonly InstructRecord[]): RecordBatch {
  const builder = new RecordBatchBuilder();
  for (const record of records) builder.append(record);
  return builder.take();
}

export function batchToRecords(batch: RecordBatch): InstructRecord[] {
  return batchToRows<InstructRecord>(batch, RECORD_SCHEMA);
}

/** Reads single records of a batch without decoding the others. */
export function recordReader(batch: RecordBatch): (row: number) => InstructRecord {
  return batchRowReader<InstructRecord>(batch, RECORD_SCHEMA);
}
