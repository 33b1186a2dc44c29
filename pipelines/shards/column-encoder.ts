/**
 * Encodes JS values column by column straight into Arrow buffers for the types our schemas use
 * (utf8, binary, bool, int32, float32, list, struct). apache-arrow's generic builders run at about
 * 10k records/s on the record schema; writing the buffers directly is what makes sharding keep up
 * with JSON parsing.
 */
import {
  type Data, DataType, type Field, makeData, Precision, Type,
} from 'apache-arrow';
import { typeError, Validity } from './column-validity.ts';
import { GrowableBits, GrowableBytes, GrowableNumbers } from './growable.ts';
import { Utf8Encoder } from './utf8-encoder.ts';
import { takeVariableLength } from './variable-length-data.ts';

export interface ColumnEncoder {
  push(value: unknown): void;
  /** Bytes appended so far, roughly: used to cut batches by size. */
  readonly byteSize: number;
  /** The values pushed since the last finish, as Arrow data; the encoder starts empty again. */
  finish(): Data;
}

class BinaryEncoder implements ColumnEncoder {
  private readonly data = new GrowableBytes();
  private readonly offsets = new GrowableNumbers((n) => new Int32Array(n));
  private readonly validity: Validity;

  constructor(private readonly field: Field, private readonly path: string) {
    this.validity = new Validity(field, path);
    this.offsets.push(0);
  }

  get byteSize(): number {
    return this.data.length + this.offsets.length * 4;
  }

  push(value: unknown): void {
    if (this.validity.present(value)) {
      if (!(value instanceof Uint8Array)) throw typeError(this.path, 'bytes', value);
      this.data.pushBytes(value);
    }
    if (this.data.length > 0x7fffffff) throw new RangeError(`field "${this.path}": a batch holds more than 2 GB`);
    this.offsets.push(this.data.length);
  }

  finish(): Data {
    return takeVariableLength(this.field, this.offsets, this.data, this.validity);
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
    const length = this.values.length;
    return makeData({ type: this.field.type, length, data: this.values.take(), ...this.validity.props() });
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
    const length = this.values.length;
    return makeData({ type: this.field.type, length, data: this.values.take(), ...this.validity.props() } as never);
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
      const n = value.length;
      for (let i = 0; i < n; i++) this.child.push(value[i]);
      this.childCount += n;
    }
    this.offsets.push(this.childCount);
  }

  finish(): Data {
    const data = makeData({
      type: this.field.type,
      length: this.offsets.length - 1,
      valueOffsets: this.offsets.take(),
      child: this.child.finish(),
      ...this.validity.props(),
    });
    this.offsets.push(0);
    this.childCount = 0;
    return data;
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
    const data = makeData({ type: this.field.type, length: this.length, nullCount: 0, children: this.children.map((c) => c.finish()) });
    this.length = 0;
    return data;
  }
}

export function columnEncoder(field: Field, path = field.name): ColumnEncoder {
  const type: DataType = field.type;
  switch (type.typeId) {
    case Type.Utf8: return new Utf8Encoder(field, path);
    case Type.Binary: return new BinaryEncoder(field, path);
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
