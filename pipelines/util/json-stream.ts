/**
 * Streams the members of one JSON container without holding the whole document: the top-level
 * array or object, or the container under a path of object keys (TextCaps' `data`). Dataset files
 * such as BLIP's 14M-caption CapFilt JSON are far larger than a JavaScript string may be, so
 * JSON.parse of the whole file is not an option. The document is scanned as bytes and its members
 * are parsed in batches (json-stream-container.ts), so memory is bounded by one chunk read plus
 * the largest single member.
 */
import type { Readable } from 'node:stream';
import {
  BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, ContainerMembers, isJsonSpace, type JsonMember, OPEN_ARRAY, OPEN_OBJECT, QUOTE,
} from './json-stream-container.ts';
import { ArraySkim } from './json-stream-skim.ts';

export type { JsonMember } from './json-stream-container.ts';

const BOM = [0xef, 0xbb, 0xbf];

const notContainer = (at: number) => new Error(`the document is not an array or object (byte ${at})`);

/**
 * The structure around the target container, byte by byte: which containers are open and under
 * which keys, so the target is recognised when it opens. Everything inside the target goes to
 * ContainerMembers.
 */
class DocumentScanner {
  private readonly stack: number[] = [];
  /** Per open container: the current array index or object key. */
  private readonly keys: (number | string | null)[] = [];
  /** Per open object: whether the next string is a key. */
  private readonly expectKey: boolean[] = [];
  private inString = false;
  private escape = false;
  /** Bytes of an object key being read (from earlier chunks), and where it starts in this one. */
  private keyParts: Buffer[] | null = null;
  private keyStart = 0;
  private keyOffset = 0;
  private target: ContainerMembers | null = null;
  /** The shortcut through the target array while it holds (json-stream-skim.ts); tried at its first opening only. */
  private skim: ArraySkim | null = null;
  /** File offset of the current chunk. */
  private offset = 0;
  targetSeen = false;
  rootSeen = false;

  constructor(private readonly path: readonly string[]) {}

  private get done(): boolean {
    return this.rootSeen && this.stack.length === 0 && !this.inString && !this.target;
  }

  private atTarget(): boolean {
    if (this.stack.length !== this.path.length) return false;
    return this.path.every((key, d) => this.stack[d] === OPEN_OBJECT && this.keys[d] === key);
  }

  /** Ends the input: bytes the skim still holds are scanned. */
  *flush(): Generator<JsonMember[]> {
    if (this.skim) yield* this.scanSkimmedBytes();
  }

  /**
   * Takes the document's next chunk (its first byte at file offset `this.offset`, which moves past
   * it); yields the members it completes a batch at a time, each parsed only when asked for.
   */
  *push(chunk: Buffer): Generator<JsonMember[]> {
    let i = 0;
    while (i < chunk.length) {
      if (this.skim) {
        yield* this.skimRest(chunk, i);
        return;
      }
      if (this.target) {
        const out: JsonMember[] = [];
        i = this.target.scan(chunk, i, this.offset, out);
        if (this.target.closed) this.target = null;
        if (out.length > 0) yield out;
      } else {
        i = this.scanOutside(chunk, i);
      }
    }
    if (this.keyParts) {
      this.keyParts.push(chunk.subarray(this.keyStart));
      this.keyStart = 0;
    }
    this.offset += chunk.length;
  }

  private *skimRest(chunk: Buffer, from: number): Generator<JsonMember[]> {
    const skim = this.skim!;
    this.offset += chunk.length;
    for (let at = from; at < chunk.length; ) {
      const taken = skim.take(at === 0 ? chunk : chunk.subarray(at));
      if (taken === undefined) {
        yield* this.scanSkimmedBytes();
        return;
      }
      at += taken.used;
      if (taken.values.length > 0) yield this.target!.skimmed(taken.values);
    }
  }

  /** Ends the skim: the bytes it holds, from a member boundary on, go through the byte scan. */
  private *scanSkimmedBytes(): Generator<JsonMember[]> {
    const skim = this.skim!;
    this.skim = null;
    const end = this.offset;
    this.offset = skim.pendingOffset;
    this.target!.resumeAt(skim.pendingOffset);
    for (const part of skim.takeBack()) yield* this.push(part);
    if (this.offset !== end) throw new Error(`internal: the skimmed bytes end at ${this.offset}, not ${end}`);
  }

  /** Scans from `i` until the target container opens (returns the index after its bracket) or the chunk ends. */
  private scanOutside(chunk: Buffer, i: number): number {
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.closeString(chunk, i);
        continue;
      }
      const at = this.offset + i;
      if (isJsonSpace(c) || (at < BOM.length && c === BOM[at])) continue;
      if (this.done) throw new Error(`unexpected text after the end of the document at byte ${at}`);
      const depth = this.stack.length;
      switch (c) {
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.rootSeen = true;
          if (this.atTarget()) {
            if (c === OPEN_ARRAY && !this.targetSeen) this.skim = new ArraySkim(at + 1);
            this.targetSeen = true;
            this.target = new ContainerMembers(c === OPEN_OBJECT, at + 1);
            return i + 1;
          }
          this.stack.push(c);
          this.keys.push(c === OPEN_ARRAY ? 0 : null);
          this.expectKey.push(c === OPEN_OBJECT);
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          const open = this.stack.pop();
          this.keys.pop();
          this.expectKey.pop();
          if (open !== (c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) throw new Error(`mismatched "${String.fromCharCode(c)}" at byte ${at}`);
          break;
        }
        case QUOTE:
          if (depth === 0) throw notContainer(at);
          this.inString = true;
          if (this.expectKey[depth - 1] && depth <= this.path.length) {
            this.keyParts = [];
            this.keyStart = i;
            this.keyOffset = at;
          }
          break;
        case COLON:
          if (depth === 0) throw notContainer(at);
          this.expectKey[depth - 1] = false;
          break;
        case COMMA:
          if (depth === 0) throw new Error(`unexpected "," at byte ${at}`);
          if (this.stack[depth - 1] === OPEN_ARRAY) (this.keys[depth - 1] as number)++;
          else this.expectKey[depth - 1] = true;
          break;
        default:
          if (depth === 0) throw notContainer(at);
      }
    }
    return i;
  }

  private closeString(chunk: Buffer, i: number): void {
    this.inString = false;
    if (!this.keyParts) return;
    const text = Buffer.concat([...this.keyParts, chunk.subarray(this.keyStart, i + 1)]).toString('utf8');
    this.keyParts = null;
    try {
      this.keys[this.stack.length - 1] = JSON.parse(text) as string;
    } catch (err) {
      throw new Error(`the object key at byte ${this.keyOffset} is not valid JSON (${(err as Error).message})`);
    }
  }

  finish(): void {
    if (!this.rootSeen) throw new Error(`the document is empty (it ends at byte ${this.offset})`);
    if (!this.done) throw new Error(`the document ends early at byte ${this.offset} (truncated?)`);
  }
}

/**
 * Yields the members of the container at `path` (object keys from the root; empty for the root
 * itself) in document order, in batches of about 64 KB of JSON. A malformed document throws an
 * Error that starts with `where` (say, the source and file), gives the byte offset and says what
 * to do.
 */
export async function* jsonMemberBatches(input: Readable, path: readonly string[], where: string): AsyncGenerator<JsonMember[]> {
  const scanner = new DocumentScanner(path);
  const fail = (message: string) =>
    new Error(`${where}: ${message}; the file is damaged or not the official one, delete it and run ingest again`);
  try {
    for await (const chunk of input) yield* scanner.push(chunk as Buffer);
    yield* scanner.flush();
    scanner.finish();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw fail((err as Error).message);
  }
  // Only a path can miss: with none, the root container is the target.
  if (!scanner.targetSeen) throw fail(`no array or object under ${path.map((k) => `"${k}"`).join(' > ')}`);
}

/** jsonMemberBatches one member at a time. */
export async function* jsonMembers(input: Readable, path: readonly string[], where: string): AsyncGenerator<JsonMember> {
  for await (const batch of jsonMemberBatches(input, path, where)) yield* batch;
}
