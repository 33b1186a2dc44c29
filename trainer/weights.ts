/**
 * Safetensors, read and written by hand (no npm package exists): an 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}` padded with
 * spaces, then the raw little-endian tensor bytes. Every offset is validated against the file size
 * before anything is read, so a truncated or corrupt file is refused with a message instead of being
 * read out of bounds. Half precision and int64 decode to float32 / int32, which is what TF.js computes in.
 * Files are read tensor by tensor through a byte source, so multi-GB shards never sit in memory whole.
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../pipelines/util/atomic.ts';
import { bf16BitsToFloat, f16BitsToFloat, floatToBf16Bits, floatToF16Bits } from './weights-dtype.ts';

export type StoredDtype = 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';
const BYTES_PER_ELEMENT: Record<StoredDtype, number> = { F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 };
/** Headers are small (a few hundred bytes per tensor); anything bigger is corruption, not a model. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface StoredTensor {
  readonly name: string;
  readonly dtype: StoredDtype;
  readonly shape: readonly number[];
  /** Byte range inside the data section (after the header). */
  readonly begin: number;
  readonly end: number;
}

/** A decoded tensor: floats become Float32Array, integers Int32Array. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

export class SafetensorsError extends Error {
  constructor(source: string, message: string) {
    super(`safetensors ${source}: ${message}`);
    this.name = 'SafetensorsError';
  }
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** Reads from an open file descriptor; the caller closes it. */
export function fileSource(fd: number): ByteSource {
  const size = fs.fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new Error(`file shrank while reading: ${offset + done} of ${size} bytes`);
        done += n;
      }
      return out;
    },
  };
}

/**
 * Opens the file for every read, so nothing stays open between reads: for readers handed on to code
 * that never says when it is done with them.
 */
export function pathSource(file: string): ByteSource {
  const { size } = fs.statSync(file);
  return {
    size,
    read(offset, length) {
      const fd = fs.openSync(file, 'r');
      try {
        return fileSource(fd).read(offset, length);
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function checkEntry(source: string, name: string, raw: unknown, dataBytes: number): StoredTensor {
  const fail = (why: string): never => {
    throw new SafetensorsError(source, `tensor "${name}": ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('header entry is not an object');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in BYTES_PER_ELEMENT)) fail(`unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(BYTES_PER_ELEMENT).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) fail(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  const [begin, end] = offsets as [number, number];
  const elementBytes = BYTES_PER_ELEMENT[dtype as StoredDtype];
  if (begin > end) fail(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataBytes) fail(`data_offsets [${begin}, ${end}] run past the end of the data (${dataBytes} bytes; file truncated?)`);
  const expected = numel(shape as number[]) * elementBytes;
  if (end - begin !== expected) fail(`data_offsets [${begin}, ${end}] hold ${end - begin} bytes but ${dtype} ${JSON.stringify(shape)} needs ${expected}`);
  if (begin % elementBytes !== 0) fail(`data_offsets begin ${begin} is not aligned to the ${elementBytes}-byte ${dtype} element`);
  return { name, dtype: dtype as StoredDtype, shape: shape as number[], begin, end };
}

/** Tensors may not share bytes: in offset order, each non-empty one starts at or after all earlier ends. */
function checkNoOverlap(source: string, tensors: StoredTensor[]): void {
  const sorted = tensors.filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  let reach: StoredTensor | undefined;
  for (const cur of sorted) {
    if (reach !== undefined && cur.begin < reach.end) {
      throw new SafetensorsError(source, `tensors "${reach.name}" [${reach.begin}, ${reach.end}] and "${cur.name}" [${cur.begin}, ${cur.end}] overlap`);
    }
    if (reach === undefined || cur.end > reach.end) reach = cur;
  }
}

export class SafetensorsReader {
  readonly tensors: ReadonlyMap<string, StoredTensor>;
  readonly metadata: Readonly<Record<string, string>>;
  private readonly dataStart: number;

  /** Parses and validates the header; `source` names the file in every error. */
  constructor(private readonly bytes: ByteSource, readonly source: string) {
    if (bytes.size < 8) throw new SafetensorsError(source, `file is ${bytes.size} bytes, shorter than the 8-byte header length`);
    const headerLength = new DataView(bytes.read(0, 8).slice().buffer).getBigUint64(0, true);
    if (headerLength > BigInt(Math.min(bytes.size - 8, MAX_HEADER_BYTES))) {
      throw new SafetensorsError(source, `header length ${headerLength} runs past the end of the ${bytes.size}-byte file (or exceeds ${MAX_HEADER_BYTES})`);
    }
    this.dataStart = 8 + Number(headerLength);
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.read(8, Number(headerLength))));
    } catch (error) {
      throw new SafetensorsError(source, `header is not valid UTF-8 JSON (${(error as Error).message})`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError(source, 'header is not a JSON object');
    const { __metadata__: metadata = {}, ...entries } = header as Record<string, unknown>;
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || !Object.values(metadata).every((v) => typeof v === 'string')) {
      throw new SafetensorsError(source, '__metadata__ must map strings to strings');
    }
    const dataBytes = bytes.size - this.dataStart;
    const tensors = Object.entries(entries).map(([name, raw]) => checkEntry(source, name, raw, dataBytes));
    checkNoOverlap(source, tensors);
    this.tensors = new Map(tensors.map((t) => [t.name, t]));
    this.metadata = metadata as Record<string, string>;
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  entry(name: string): StoredTensor {
    const tensor = this.tensors.get(name);
    if (tensor === undefined) throw new SafetensorsError(this.source, `no tensor named "${name}"`);
    return tensor;
  }

  read(name: string): TensorData {
    const tensor = this.entry(name);
    const raw = this.bytes.read(this.dataStart + tensor.begin, tensor.end - tensor.begin);
    return { shape: tensor.shape, values: decode(this.source, tensor, raw) };
  }
}

function decode(source: string, tensor: StoredTensor, raw: Uint8Array): Float32Array | Int32Array {
  const n = numel(tensor.shape);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (tensor.dtype) {
    case 'F32':
      // A typed-array view needs 4-byte alignment of the absolute offset; otherwise copy first.
      return raw.byteOffset % 4 === 0 ? new Float32Array(raw.buffer, raw.byteOffset, n) : new Float32Array(raw.slice().buffer);
    case 'I32':
      return raw.byteOffset % 4 === 0 ? new Int32Array(raw.buffer, raw.byteOffset, n) : new Int32Array(raw.slice().buffer);
    case 'F16':
      return Float32Array.from({ length: n }, (_, i) => f16BitsToFloat(view.getUint16(2 * i, true)));
    case 'BF16':
      return Float32Array.from({ length: n }, (_, i) => bf16BitsToFloat(view.getUint16(2 * i, true)));
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v < -2147483648n || v > 2147483647n) throw new SafetensorsError(source, `tensor "${tensor.name}": I64 value ${v} at index ${i} does not fit in int32`);
        out[i] = Number(v);
      }
      return out;
    }
  }
}

export interface TensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
  /** Defaults to F32 for float values and I32 for int values. */
  readonly dtype?: StoredDtype;
}

function encodeValues(t: TensorToWrite, dtype: StoredDtype): Uint8Array {
  const n = t.values.length;
  const out = new Uint8Array(n * BYTES_PER_ELEMENT[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = t.values[i]!;
    if (dtype === 'F32') view.setFloat32(4 * i, v, true);
    else if (dtype === 'I32') view.setInt32(4 * i, v, true);
    else if (dtype === 'F16') view.setUint16(2 * i, floatToF16Bits(v), true);
    else if (dtype === 'BF16') view.setUint16(2 * i, floatToBf16Bits(v), true);
    else view.setBigInt64(8 * i, BigInt(Math.trunc(v)), true);
  }
  return out;
}

/** Serializes tensors; data sorted by element size (largest first) so every offset stays aligned. */
export function encodeSafetensors(tensors: readonly TensorToWrite[], metadata: Record<string, string> = {}): Uint8Array {
  const seen = new Set<string>();
  const items = tensors.map((t) => {
    if (seen.has(t.name)) throw new Error(`safetensors: tensor "${t.name}" given twice`);
    seen.add(t.name);
    if (t.name === '__metadata__') throw new Error('safetensors: "__metadata__" is reserved and cannot name a tensor');
    if (numel(t.shape) !== t.values.length) throw new Error(`safetensors: tensor "${t.name}" has ${t.values.length} values but shape ${JSON.stringify(t.shape)} needs ${numel(t.shape)}`);
    const dtype = t.dtype ?? (t.values instanceof Int32Array ? 'I32' : 'F32');
    return { t, dtype, bytes: encodeValues(t, dtype) };
  });
  items.sort((a, b) => BYTES_PER_ELEMENT[b.dtype] - BYTES_PER_ELEMENT[a.dtype] || (a.t.name < b.t.name ? -1 : 1));
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const { t, dtype, bytes } of items) {
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  json = Uint8Array.from({ length: padded }, (_, i) => (i < json.length ? json[i]! : 0x20));
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const { bytes } of items) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Opens a file, hands a reader to `use`, and closes the file afterwards. */
export function withSafetensorsFile<T>(file: string, use: (reader: SafetensorsReader) => T): T {
  const fd = fs.openSync(file, 'r');
  try {
    return use(new SafetensorsReader(fileSource(fd), file));
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads every tensor of one file into memory (for small files: goldens, the demo's checkpoints). */
export function readSafetensorsFile(file: string): { tensors: Map<string, TensorData>; metadata: Record<string, string> } {
  return withSafetensorsFile(file, (reader) => ({
    tensors: new Map([...reader.tensors.keys()].map((name) => [name, reader.read(name)])),
    metadata: { ...reader.metadata },
  }));
}

/** Writes atomically: a crash leaves either the old file or the new one, never half of it. */
export function writeSafetensorsFile(file: string, tensors: readonly TensorToWrite[], metadata: Record<string, string> = {}): Promise<void> {
  return writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}
