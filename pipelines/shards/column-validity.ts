/** Type and null checks shared by the column encoders: errors name the field's path and what it got. */
import type { Field } from 'apache-arrow';
import { GrowableBits } from './growable.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

export function typeError(path: string, expected: string, value: unknown): Error {
  return new TypeError(`field "${path}": expected ${expected}, got ${describe(value)}`);
}

/** Tracks nulls for nullable fields and refuses them for the others. */
export class Validity {
  private readonly bits: GrowableBits | null;

  constructor(private readonly field: Field, private readonly path: string) {
    this.bits = field.nullable ? new GrowableBits() : null;
  }

  /** Returns false for a null value (after recording it). */
  present(value: unknown): boolean {
    const isNull = value === null || value === undefined;
    if (isNull && !this.bits) throw typeError(this.path, `a non-null ${this.field.type}`, value);
    this.bits?.push(!isNull);
    return !isNull;
  }

  /** The batch's null count and bitmap (none without nulls); starts empty again. */
  props(): { nullCount: number; nullBitmap?: Uint8Array } {
    if (!this.bits) return { nullCount: 0 };
    const nullCount = this.bits.zeros;
    const nullBitmap = this.bits.take();
    return nullCount === 0 ? { nullCount } : { nullCount, nullBitmap };
  }
}
