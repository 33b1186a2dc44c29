/**
 * Encodes JS values column by column straight into Arrow buffers for the types our schemas use
 * (utf8, binary, bool, int32, float32, list, struct). apache-arrow's generic builders run at about
 * 10k records/s on the record schema; writing the buffers directly is what makes sharding keep up
 * with JSON parsing.
 */
import {
  type Data, DataType, type Field, makeData, Precision, Type,
} from 'apache-arrow';
import { GrowableBits, GrowableBytes, GrowableNumbers } from './growable.ts';

export interface ColumnEncoder {
  push(value: unknown): void;
  /** Bytes appended so far, roughly: used to cut batches by size. */
  readonly byteSize: number;
  finish(): Data;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

function typeError(path: string, expected: string, value: unknown): Error {
  return new TypeError(`field "${path}": expected ${expected}, got ${describe(value)}`);
}

/** Tracks nulls for nullable fields and refuses them for the others. */
class Validity {
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

  props(): { nullCount: number; nullBitmap?: Uint8Array } {
    if (!this.bits || this.bits.zeros === 0) return { nullCount: 0 };
    return { nullCount: this.bits.zeros, nullBitmap: this.bits.take() };
  }
}

class BytesEncoder implements ColumnEncoder {
  private readonly data = new GrowableBytes();
  /** The previous string and its bytes: columns such as dataset, split or license repeat it row after row. */
  private lastText: string | null = null;
  private lastStart = 0;
  private lastEnd = 0;
  private readonly offsets = new GrowableNumbers((n) => new Int32Array(n));
  private readonly validity: Validity;

  constructor(private readonly field: Field, private readonly path: string, private readonly text: boolean) {
    this.validity = new Validity(field, path);
    this.offsets.push(0);
  }

  get byteSize(): number {
    return this.data.length + this.offsets.length * 4;
  }

  push(value: unknown): void {
    if (this.validity.present(value)) {
      if (this.text) {
        if (typeof value !== 'string') throw typeError(this.path, 'a string', value);
        if (value === this.lastText) {
          this.data.repeat(this.lastStart, this.lastEnd);
        } else {
          this.lastStart = this.data.length;
          this.data.pushUtf8(value);
          this.lastText = value;
          this.lastEnd = this.data.length;
        }
      } else {
        if (!(value instanceof Uint8Array)) throw typeError(this.path, 'bytes', value);
        this.data.pushBytes(value);
      }
    }
    if (this.data.length > 0x7fffffff) throw new RangeError(`field "${this.path}": a batch holds more than 2 GB`);
    this.offsets.push(this.data.length);
  }

  finish(): Data {
    return makeData({
      type: this.field.type,
      length: this.offsets.length - 1,
      valueOffsets: this.offsets.take(),
      data: this.data.take(),
      ...this.validity.props(),
    });
  }
}

class BoolEncoder implements ColumnEncoder {
  private readonly values = new GrowableBits();
  private readonly validity: Validity;

  constructor(private readonly field: Field, private readonly path: string) {
    this.validity = new Validity(field, path);
  }

  get byteSize(): number {
    return this.values.length >> 3;
  }

  push(value: unknown): void {
    const present = this.validity.present(value);
    if (present && typeof value !== 'boolean') throw typeError(this.path, 'a boolean', value);
    this.values.push(present && value === true);
  }

  finish(): Data {
    return makeData({ type: this.field.type, length: this.values.length, data: this.values.take(), ...this.validity.props() });
  }
}

class NumberEncoder implements ColumnEncoder {
  private readonly values: GrowableNumbers<Int32Array | Float32Array>;
  private readonly validity: Validity;

  constructor(private readonly field: Field, private readonly path: string, private readonly integer: boolean) {
    this.validity = new Validity(field, path);
    this.values = integer ? new GrowableNumbers((n) => new Int32Array(n)) : new GrowableNumbers((n) => new Float32Array(n));
  }

  get byteSize(): number {
    return this.values.length * 4;
  }

  push(value: unknown): void {
    if (!this.validity.present(value)) {
      this.values.push(0);
      return;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) throw typeError(this.path, 'a number', value);
    if (this.integer && (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff)) {
      throw typeError(this.path, 'a 32-bit integer', value);
    }
    this.values.push(value);
  }

  finish(): Data {
    return makeData({ type: this.field.type, length: this.values.length, data: this.values.take(), ...this.validity.props() } as never);
  }
}

class ListEncoder implements ColumnEncoder {
  private readonly offsets = new GrowableNumbers((n) => new Int32Array(n));
  private readonly validity: Validity;
  private readonly child: ColumnEncoder;
  private childCount = 0;

  constructor(private readonly field: Field, private readonly path: string) {
    this.validity = new Validity(field, path);
    this.child = columnEncoder(field.type.children[0], `${path}[]`);
    this.offsets.push(0);
  }

  get byteSize(): number {
    return this.child.byteSize + this.offsets.length * 4;
  }

  push(value: unknown): void {
    if (this.validity.present(value)) {
      if (!Array.isArray(value)) throw typeError(this.path, 'an array', value);
      for (const item of value) this.child.push(item);
      this.childCount += value.length;
    }
    this.offsets.push(this.childCount);
  }

  finish(): Data {
    return makeData({
      type: this.field.type,
      length: this.offsets.length - 1,
      valueOffsets: this.offsets.take(),
      child: this.child.finish(),
      ...this.validity.props(),
    });
  }
}

class StructEncoder implements ColumnEncoder {
  private readonly children: ColumnEncoder[];
  private readonly names: string[];
  private length = 0;

  constructor(private readonly field: Field, private readonly path: string) {
    if (field.nullable) throw new Error(`field "${path}": nullable structs are not supported; make the struct's fields nullable`);
    this.names = field.type.children.map((c: Field) => c.name);
    this.children = field.type.children.map((c: Field) => columnEncoder(c, `${path}.${c.name}`));
  }

  get byteSize(): number {
    return this.children.reduce((sum, c) => sum + c.byteSize, 0);
  }

  push(value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeError(this.path, 'an object', value);
    const object = value as Record<string, unknown>;
    for (let i = 0; i < this.children.length; i++) this.children[i].push(object[this.names[i]]);
    this.length++;
  }

  finish(): Data {
    return makeData({ type: this.field.type, length: this.length, nullCount: 0, children: this.children.map((c) => c.finish()) });
  }
}

export function columnEncoder(field: Field, path = field.name): ColumnEncoder {
  const type: DataType = field.type;
  switch (type.typeId) {
    case Type.Utf8: return new BytesEncoder(field, path, true);
    case Type.Binary: return new BytesEncoder(field, path, false);
    case Type.Bool: return new BoolEncoder(field, path);
    case Type.Int:
      if (!DataType.isInt(type) || type.bitWidth !== 32 || !type.isSigned) break;
      return new NumberEncoder(field, path, true);
    case Type.Float:
      if (!DataType.isFloat(type) || type.precision !== Precision.SINGLE) break;
      return new NumberEncoder(field, path, false);
    case Type.List: return new ListEncoder(field, path);
    case Type.Struct: return new StructEncoder(field, path);
    default: break;
  }
  throw new Error(`field "${path}": no column encoder for Arrow type ${type}`);
}
