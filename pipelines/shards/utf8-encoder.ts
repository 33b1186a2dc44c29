/** The column encoder for utf8 fields, where most of a record's bytes and encoding time go. */
import type { Data, Field } from 'apache-arrow';
import type { ColumnEncoder } from './column-encoder.ts';
import { typeError, Validity } from './column-validity.ts';
import { GrowableBytes, GrowableNumbers, SHORT_STRING } from './growable.ts';
import { takeVariableLength } from './variable-length-data.ts';

/** Longer strings are encoded this many at a time: one native UTF-8 write for all of them costs less than one for each. */
const STRINGS_PER_WRITE = 256;
/** A value repeated this often in a row starts a run (dataset, split, license...), written at its end. */
const RUN_MIN = 8;

/**
 * Strings go to the data buffer three ways, in order: short ones copied by a JS loop, longer ones
 * joined and written together, and runs of one value counted and then copied in a few doublings.
 */
export class Utf8Encoder implements ColumnEncoder {
  private readonly data = new GrowableBytes();
  private readonly offsets = new GrowableNumbers((n) => new Int32Array(n));
  private readonly validity: Validity;
  /** Strings not written yet, their length in UTF-16 units, and the row of the first. */
  private pending: string[] = [];
  private pendingUnits = 0;
  private firstPendingRow = 0;
  /** The last non-empty string and how often it came in a row. */
  private lastText: string | null = null;
  private sameCount = 0;
  /** During a run: the bytes of its value (written, from runStart) and the bytes of the repeats not written. */
  private runValueBytes = 0;
  private runStart = 0;
  private runBytes = 0;

  constructor(private readonly field: Field, private readonly path: string) {
    this.validity = new Validity(field, path);
    this.offsets.push(0);
  }

  get byteSize(): number {
    return this.data.length + this.pendingUnits + this.runBytes + this.offsets.length * 4;
  }

  push(value: unknown): void {
    if (this.validity.present(value)) {
      if (typeof value !== 'string') throw typeError(this.path, 'a string', value);
      if (value.length > 0) this.append(value);
    }
    // While strings are pending this counts UTF-16 units; writePending makes them bytes if they differ.
    const end = this.data.length + this.pendingUnits + this.runBytes;
    if (end > 0x7fffffff) throw new RangeError(`field "${this.path}": a batch holds more than 2 GB`);
    this.offsets.push(end);
    if (this.pending.length === STRINGS_PER_WRITE) this.writePending();
  }

  finish(): Data {
    this.writePending();
    this.endRun();
    const data = takeVariableLength(this.field, this.offsets, this.data, this.validity);
    this.lastText = null;
    this.sameCount = 0;
    return data;
  }

  private append(value: string): void {
    if (value === this.lastText) {
      if (this.runValueBytes > 0) {
        this.runBytes += this.runValueBytes;
        return;
      }
      if (++this.sameCount === RUN_MIN) {
        this.startRun(value);
        return;
      }
    } else {
      this.endRun();
      this.lastText = value;
      this.sameCount = 1;
    }
    if (this.pending.length === 0 && value.length <= SHORT_STRING) {
      this.data.pushUtf8(value);
      return;
    }
    if (this.pending.length === 0) this.firstPendingRow = this.offsets.length;
    this.pending.push(value);
    this.pendingUnits += value.length;
  }

  /** `value` has just been appended again: its bytes end the data once pending strings are written. */
  private startRun(value: string): void {
    this.writePending();
    this.runValueBytes = Buffer.byteLength(value, 'utf8');
    this.runStart = this.data.length - this.runValueBytes;
    this.runBytes = this.runValueBytes;
  }

  private endRun(): void {
    if (this.runValueBytes === 0) return;
    this.data.repeatTail(this.runStart, this.runBytes / this.runValueBytes);
    this.runValueBytes = 0;
    this.runBytes = 0;
  }

  /** Writes the pending strings joined; as many bytes as UTF-16 units means all of them were ASCII. */
  private writePending(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.data.ensure(text.length * 3);
    const written = this.data.bytes.write(text, this.data.length, 'utf8');
    if (written === text.length) this.data.length += written;
    else this.writeOneByOne();
    if (this.data.length > 0x7fffffff) throw new RangeError(`field "${this.path}": a batch holds more than 2 GB`);
    this.pending = [];
    this.pendingUnits = 0;
  }

  /** Writes each pending string on its own and turns the pending rows' offsets into byte offsets. */
  private writeOneByOne(): void {
    const offsets = this.offsets.values;
    const bytes = this.data.bytes;
    let at = this.data.length;
    let previous = at;
    let next = 0;
    for (let row = this.firstPendingRow; row < this.offsets.length; row++) {
      // A row whose offset moved holds the next pending string; the others are null or empty.
      if (offsets[row] !== previous) at += bytes.write(this.pending[next++], at, 'utf8');
      previous = offsets[row];
      offsets[row] = at;
    }
    this.data.length = at;
  }
}
