/**
 * The inside of the container json-stream.ts streams: a byte loop that tracks only string and
 * escape state and nesting depth finds where members end (the commas between them), and a batch
 * of whole members is parsed by one JSON.parse of their bytes wrapped in brackets. The loop
 * touches each byte once and builds nothing; all values come from V8's parser, one call per batch
 * rather than per member.
 */
import { isAscii } from 'node:buffer';

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;

export const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const OTHER = 0;
const STRING = 1;
const OPEN = 2;
const CLOSE = 3;
const SEPARATOR = 4;
const KEY_SEPARATOR = 5;
/**
 * Members are parsed and handed on in batches of about this many bytes. Their values stay alive
 * until the consumer is done with the batch; at 1 MB per batch the young-generation collector
 * copied so many of them that it paused the main thread five times longer on VQAv2 annotations.
 */
const BATCH_BYTES = 64 * 1024;

/** What each byte means outside strings, so the common case (none of these) costs one lookup. */
const BYTE_KIND = new Uint8Array(256);
BYTE_KIND[QUOTE] = STRING;
BYTE_KIND[OPEN_OBJECT] = OPEN;
BYTE_KIND[OPEN_ARRAY] = OPEN;
BYTE_KIND[CLOSE_OBJECT] = CLOSE;
BYTE_KIND[CLOSE_ARRAY] = CLOSE;
BYTE_KIND[COMMA] = SEPARATOR;
BYTE_KIND[COLON] = KEY_SEPARATOR;

export interface JsonMember {
  /** Array index, or object key. */
  key: number | string;
  value: unknown;
}

/**
 * One open target container. `scan` takes the document's chunks in order; the bytes of a member
 * not yet complete are kept (as chunk views) until the separator after it arrives, so memory
 * holds the current chunk and the largest member, not the document.
 */
export class ContainerMembers {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** In an object, member-level separators alternate ':' and ','; true while ':' is due. */
  private expectColon: boolean;
  /** Bytes of the pending members from earlier chunks. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** File offset of the first pending byte. */
  private spanOffset: number;
  /** File offsets of the member-level commas and colons among the pending bytes. */
  private commas: number[] = [];
  private colons: number[] = [];
  /** Members handed out so far: the next array index. */
  private count = 0;
  /** Set once the container's closing bracket has been read. */
  closed = false;

  constructor(private readonly isObject: boolean, contentOffset: number) {
    this.expectColon = isObject;
    this.spanOffset = contentOffset;
  }

  /**
   * Scans `chunk` from `from` (`chunkOffset` is the file offset of chunk[0]) and returns where it
   * stopped: after a batch of at least BATCH_BYTES of members, appended to `out`; after the
   * container's closing bracket (the last members go to `out` and `closed` is set); or at the end
   * of the chunk.
   */
  scan(chunk: Buffer, from: number, chunkOffset: number, out: JsonMember[]): number {
    let { inString, escape, depth, expectColon } = this;
    const isObject = this.isObject;
    // In optimized code a module constant is a load from the module's context on every use; as
    // locals they fold into the loop, which then takes a fifth less time.
    const quote = QUOTE;
    const backslash = BACKSLASH;
    const kinds = BYTE_KIND;
    const other = OTHER;
    const string = STRING;
    const open = OPEN;
    const closeKind = CLOSE;
    const separator = SEPARATOR;
    const batchBytes = BATCH_BYTES;
    let batchEnd = -1;
    let close = -1;
    const n = chunk.length;
    let i = from;
    // The previous chunk ended on a backslash inside a string: this byte is the escaped one.
    if (escape && i < n) {
      escape = false;
      i++;
    }
    scan: while (i < n) {
      if (inString) {
        // Most bytes are inside strings, where only a quote or a backslash matters.
        for (;;) {
          if (i >= n) break scan;
          const c = chunk[i++];
          if (c === quote) break;
          if (c === backslash) {
            if (i >= n) {
              escape = true;
              break scan;
            }
            i++;
          }
        }
        inString = false;
        continue;
      }
      const kind = kinds[chunk[i]];
      if (kind === other) {
        i++;
        continue;
      }
      if (kind === string) {
        inString = true;
      } else if (kind === open) {
        depth++;
      } else if (kind === closeKind) {
        if (depth === 0) {
          close = i;
          break;
        }
        depth--;
      } else if (depth === 0) {
        if (kind === separator) {
          if (expectColon) throw new Error(`expected ":" after an object key, found "," at byte ${chunkOffset + i}`);
          expectColon = isObject;
          if (chunkOffset + i - this.spanOffset >= batchBytes) {
            batchEnd = i;
            break;
          }
          this.commas.push(chunkOffset + i);
        } else if (isObject) {
          if (!expectColon) throw new Error(`unexpected ":" at byte ${chunkOffset + i}`);
          expectColon = false;
          this.colons.push(chunkOffset + i);
        }
      }
      i++;
    }
    this.inString = inString;
    this.escape = escape;
    this.depth = depth;
    this.expectColon = expectColon;
    if (close >= 0) {
      this.close(chunk, from, close, chunkOffset, out);
      this.closed = true;
      return close + 1;
    }
    if (batchEnd >= 0) {
      this.emit(chunk, from, batchEnd, out);
      this.spanOffset = chunkOffset + batchEnd + 1;
      return batchEnd + 1;
    }
    this.hold(chunk.subarray(from), chunkOffset + from);
    return n;
  }

  /** Members an array's skim read (json-stream-skim.ts), which started at a member boundary. */
  skimmed(values: unknown[]): JsonMember[] {
    return values.map((value) => ({ key: this.count++, value }));
  }

  /** The scan resumes at file offset `offset`, a member boundary up to which the skim read. */
  resumeAt(offset: number): void {
    this.spanOffset = offset;
  }

  /** Keeps bytes (at file offset `offset`) of members not yet complete. */
  private hold(bytes: Buffer, offset: number): void {
    if (this.partBytes === 0) this.spanOffset = offset;
    this.parts.push(bytes);
    this.partBytes += bytes.length;
  }

  private close(chunk: Buffer, from: number, at: number, chunkOffset: number, out: JsonMember[]): void {
    const bracket = chunk[at];
    if (bracket !== (this.isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) throw new Error(`mismatched "${String.fromCharCode(bracket)}" at byte ${chunkOffset + at}`);
    // Outside strings at depth 0, the last byte before the bracket ends the last member, or is a
    // trailing comma; with no pending bytes, the container is empty or ended on a batch's comma.
    const last = this.lastPendingByte(chunk, from, at);
    if (last === COMMA || (last < 0 && this.count > 0)) throw new Error(`a trailing "," before byte ${chunkOffset + at}`);
    if (last < 0) return;
    if (this.expectColon) throw new Error(`an object key without a value before byte ${chunkOffset + at}`);
    this.emit(chunk, from, at, out);
  }

  /** The last byte other than white space among the pending bytes and chunk[from, to), or -1. */
  private lastPendingByte(chunk: Buffer, from: number, to: number): number {
    for (let i = to - 1; i >= from; i--) if (!isJsonSpace(chunk[i])) return chunk[i];
    for (let p = this.parts.length - 1; p >= 0; p--) {
      const part = this.parts[p];
      for (let i = part.length - 1; i >= 0; i--) if (!isJsonSpace(part[i])) return part[i];
    }
    return -1;
  }

  /** Parses the pending bytes plus chunk[from, end): whole members, `end` being a separator or the close. */
  private emit(chunk: Buffer, from: number, end: number, out: JsonMember[]): void {
    const text = Buffer.allocUnsafe(this.partBytes + (end - from) + 2);
    text[0] = OPEN_ARRAY;
    let at = 1;
    for (const part of this.parts) at += part.copy(text, at);
    at += chunk.copy(text, at, from, end);
    text[at] = CLOSE_ARRAY;
    const { spanOffset, commas, colons } = this;
    // An object's members become [key, value, key, value, ...]: one array, in document order.
    for (const colon of colons) text[colon - spanOffset + 1] = COMMA;
    this.parts = [];
    this.partBytes = 0;
    this.commas = [];
    this.colons = [];
    let values: unknown[];
    try {
      // Most dataset JSON is ASCII: read as latin1 (the same characters) it decodes three times faster than as UTF-8.
      values = JSON.parse(text.toString(isAscii(text) ? 'latin1' : 'utf8')) as unknown[];
    } catch (err) {
      for (const colon of colons) text[colon - spanOffset + 1] = COLON;
      throw this.badMember(text, spanOffset, commas, err as Error);
    }
    if (!this.isObject) {
      for (const value of values) out.push({ key: this.count++, value });
      return;
    }
    for (let k = 0; k < values.length; k += 2) {
      const key = values[k];
      if (typeof key !== 'string') {
        const at = k === 0 ? spanOffset : commas[k / 2 - 1] + 1;
        throw new Error(`member ${this.count} at byte ${at} has a key that is not a string (${JSON.stringify(key)})`);
      }
      out.push({ key, value: values[k + 1] });
      this.count++;
    }
  }

  /** Which member of a batch that failed to parse is the bad one, with its byte offset. */
  private badMember(text: Buffer, spanOffset: number, commas: number[], batchError: Error): Error {
    let start = 1;
    for (const [k, end] of [...commas.map((c) => c - spanOffset + 1), text.length - 1].entries()) {
      let first = start;
      while (first < end && isJsonSpace(text[first])) first++;
      const member = text.toString('utf8', start, end);
      try {
        JSON.parse(this.isObject ? `{${member}}` : member);
      } catch (err) {
        return new Error(`member ${this.count + k} at byte ${spanOffset + first - 1} is not valid JSON (${(err as Error).message})`);
      }
      start = end + 1;
    }
    return new Error(`the members from byte ${spanOffset} are not valid JSON (${batchError.message})`);
  }
}
