/**
 * Builds Arrow record batches row by row for any schema our encoders support. Each row is encoded
 * as it arrives, so a batch in progress holds Arrow buffers, not the row objects.
 */
import { makeData, RecordBatch, type Schema, Struct } from 'apache-arrow';
import { type ColumnEncoder, columnEncoder } from './column-encoder.ts';
import { rowAppender } from './row-appender.ts';

export class BatchBuilder<Row extends object> {
  /** Kept from batch to batch, with their buffers' capacity. */
  private readonly encoders: ColumnEncoder[];
  private readonly appendRow: (row: object) => void;
  private rows = 0;

  constructor(readonly schema: Schema) {
    this.encoders = schema.fields.map((f) => columnEncoder(f));
    this.appendRow = rowAppender(schema, this.encoders);
  }

  get length(): number {
    return this.rows;
  }

  /** Encoded bytes so far, approximately the batch body size. */
  get byteSize(): number {
    return this.encoders.reduce((sum, e) => sum + e.byteSize, 0);
  }

  /**
   * Appends one row. A value of the wrong type throws a TypeError naming the field; the builder is
   * then unusable (some columns hold the row, others not), which is fine because the caller stops.
   */
  append(row: Row): void {
    this.appendRow(row);
    this.rows++;
  }

  /** The rows appended since the last take, as one record batch; the builder starts empty again. */
  take(): RecordBatch {
    const children = this.encoders.map((e) => e.finish());
    const data = makeData({ type: new Struct(this.schema.fields), length: this.rows, nullCount: 0, children });
    this.rows = 0;
    return new RecordBatch(this.schema, data);
  }
}
