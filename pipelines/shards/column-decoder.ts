/**
 * Reads values back out of Arrow Data for the types column-encoder.ts writes, as plain JS values
 * (strings, numbers, arrays, objects, Buffers). Reading the buffers directly avoids building a
 * Vector per list cell, which is what apache-arrow's `get` does.
 */
import { type Data, DataType, type Field, Type } from 'apache-arrow';

/** The value of row `i` (0-based within the Data, before its offset is applied). */
export type ColumnReader = (i: number) => unknown;

function validity(data: Data): (i: number) => boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return () => true;
  const offset = data.offset;
  return (i) => ((bitmap[(i + offset) >> 3] >> ((i + offset) & 7)) & 1) === 1;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function bytesReader(data: Data, text: boolean): ColumnReader {
  const present = validity(data);
  const offsets = data.valueOffsets as Int32Array;
  const bytes = asBuffer(data.values as Uint8Array);
  const base = data.offset;
  return (i) => {
    if (!present(i)) return null;
    const start = offsets[i + base];
    const end = offsets[i + base + 1];
    return text ? bytes.toString('utf8', start, end) : bytes.subarray(start, end);
  };
}

function boolReader(data: Data): ColumnReader {
  const present = validity(data);
  const bits = data.values as Uint8Array;
  const base = data.offset;
  return (i) => (present(i) ? ((bits[(i + base) >> 3] >> ((i + base) & 7)) & 1) === 1 : null);
}

function numberReader(data: Data): ColumnReader {
  const present = validity(data);
  const values = data.values as Int32Array | Float32Array;
  const base = data.offset;
  return (i) => (present(i) ? values[i + base] : null);
}

function listReader(data: Data, field: Field): ColumnReader {
  const present = validity(data);
  const offsets = data.valueOffsets as Int32Array;
  const child = columnReader(data.children[0], field.type.children[0]);
  const base = data.offset;
  return (i) => {
    if (!present(i)) return null;
    const end = offsets[i + base + 1];
    const out: unknown[] = [];
    for (let j = offsets[i + base]; j < end; j++) out.push(child(j));
    return out;
  };
}

function structReader(data: Data, field: Field): ColumnReader {
  const present = validity(data);
  const fields = field.type.children as Field[];
  const children = fields.map((f, k) => columnReader(data.children[k], f));
  const base = data.offset;
  return (i) => {
    if (!present(i)) return null;
    const out: Record<string, unknown> = {};
    for (let k = 0; k < fields.length; k++) out[fields[k].name] = children[k](i + base);
    return out;
  };
}

export function columnReader(data: Data, field: Field): ColumnReader {
  const type: DataType = field.type;
  switch (type.typeId) {
    case Type.Utf8: return bytesReader(data, true);
    case Type.Binary: return bytesReader(data, false);
    case Type.Bool: return boolReader(data);
    case Type.Int:
    case Type.Float: return numberReader(data);
    case Type.List: return listReader(data, field);
    case Type.Struct: return structReader(data, field);
    default: throw new Error(`field "${field.name}": no column reader for Arrow type ${type}`);
  }
}
