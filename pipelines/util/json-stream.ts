/**
 * Streams the members of one JSON container without holding the whole document: the top-level
 * array or object, or the container under a path of object keys (TextCaps' `data`). Dataset files
 * such as BLIP's 14M-caption CapFilt JSON are far larger than a JavaScript string may be, so
 * JSON.parse of the whole file is not an option. Each member is parsed with JSON.parse on its own
 * text, so memory is bounded by the largest single member.
 */
import type { Readable } from 'node:stream';

export interface JsonMember {
  /** Array index, or object key. */
  key: number | string;
  value: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;

/** Character-level scanner; `push` takes text in order and returns the members completed by it. */
class MemberScanner {
  private readonly stack: number[] = [];
  /** Per open container: the current array index or object key. */
  private readonly keys: (number | string | null)[] = [];
  /** Per open object: whether the next string is a key. */
  private readonly expectKey: boolean[] = [];
  private inString = false;
  private escape = false;
  private stringRole: 'key' | 'member' | 'other' = 'other';
  private keyPieces: string[] = [];
  private keyStart = -1;
  private memberPieces: string[] = [];
  private memberStart = -1;
  private memberIsPrimitive = false;
  private memberKey: number | string = 0;
  targetSeen = false;
  rootSeen = false;

  constructor(private readonly path: readonly string[]) {}

  get done(): boolean {
    return this.rootSeen && this.stack.length === 0 && !this.inString;
  }

  get memberDepth(): number {
    return this.path.length + 1;
  }

  private atMemberLevel(): boolean {
    if (this.stack.length !== this.memberDepth) return false;
    return this.path.every((key, d) => this.stack[d] === OPEN_OBJECT && this.keys[d] === key);
  }

  private startMember(i: number): void {
    this.memberStart = i;
    this.memberPieces = [];
    this.memberKey = this.keys[this.stack.length - 1] ?? 0;
  }

  private endMember(text: string, end: number, out: JsonMember[]): void {
    this.memberPieces.push(text.slice(this.memberStart, end));
    const raw = this.memberPieces.join('');
    this.memberPieces = [];
    this.memberStart = -1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new Error(`member ${JSON.stringify(this.memberKey)} is not valid JSON (${(err as Error).message})`);
    }
    out.push({ key: this.memberKey, value });
  }

  push(text: string): JsonMember[] {
    const out: JsonMember[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.closeString(text, i, out);
        continue;
      }
      if (this.memberIsPrimitive) {
        if (!(isSpace(c) || c === COMMA || c === CLOSE_ARRAY || c === CLOSE_OBJECT)) continue;
        this.memberIsPrimitive = false;
        this.endMember(text, i, out);
      }
      if (isSpace(c)) continue;
      if (this.done) throw new Error(`unexpected text after the end of the document`);
      const depth = this.stack.length;
      switch (c) {
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (this.memberStart < 0 && this.atMemberLevel()) this.startMember(i);
          if (depth === 0) this.rootSeen = true;
          this.stack.push(c);
          this.keys.push(c === OPEN_ARRAY ? 0 : null);
          this.expectKey.push(c === OPEN_OBJECT);
          if (this.atMemberLevel()) this.targetSeen = true;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          const open = this.stack.pop();
          this.keys.pop();
          this.expectKey.pop();
          if (open !== (c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) throw new Error(`mismatched "${String.fromCharCode(c)}"`);
          if (this.memberStart >= 0 && this.atMemberLevel()) this.endMember(text, i + 1, out);
          break;
        }
        case QUOTE:
          if (depth === 0) throw new Error('the document is not an array or object');
          this.inString = true;
          if (this.stack[depth - 1] === OPEN_OBJECT && this.expectKey[depth - 1]) {
            this.stringRole = depth <= this.memberDepth ? 'key' : 'other';
            this.keyStart = i + 1;
            this.keyPieces = [];
          } else if (this.memberStart < 0 && this.atMemberLevel()) {
            this.stringRole = 'member';
            this.startMember(i);
          } else {
            this.stringRole = 'other';
          }
          break;
        case COLON:
          if (depth > 0) this.expectKey[depth - 1] = false;
          break;
        case COMMA:
          if (depth === 0) throw new Error('unexpected ","');
          if (this.stack[depth - 1] === OPEN_ARRAY) (this.keys[depth - 1] as number)++;
          else this.expectKey[depth - 1] = true;
          break;
        default:
          if (depth === 0) throw new Error('the document is not an array or object');
          if (this.memberStart < 0 && this.atMemberLevel()) {
            this.startMember(i);
            this.memberIsPrimitive = true;
          }
      }
    }
    if (this.memberStart >= 0) {
      this.memberPieces.push(text.slice(this.memberStart));
      this.memberStart = 0;
    }
    if (this.inString && this.stringRole === 'key') {
      this.keyPieces.push(text.slice(this.keyStart));
      this.keyStart = 0;
    }
    return out;
  }

  private closeString(text: string, i: number, out: JsonMember[]): void {
    this.inString = false;
    if (this.stringRole === 'key') {
      this.keyPieces.push(text.slice(this.keyStart, i));
      this.keys[this.stack.length - 1] = JSON.parse(`"${this.keyPieces.join('')}"`) as string;
      this.keyPieces = [];
    } else if (this.stringRole === 'member') {
      this.endMember(text, i + 1, out);
    }
    this.stringRole = 'other';
  }

  finish(): void {
    if (!this.rootSeen) throw new Error('the document is empty');
    if (!this.done) throw new Error('the document ends early (truncated?)');
  }
}

/**
 * Yields the members of the container at `path` (object keys from the root; empty for the root
 * itself). A malformed document throws an Error that starts with `where` (say, the source and
 * file) and says what to do.
 */
export async function* jsonMembers(input: Readable, path: readonly string[], where: string): AsyncGenerator<JsonMember> {
  input.setEncoding('utf8');
  const scanner = new MemberScanner(path);
  const fail = (message: string) =>
    new Error(`${where}: ${message}; the file is damaged or not the official one, delete it and run ingest again`);
  try {
    for await (const chunk of input) {
      yield* scanner.push(chunk as string);
    }
    scanner.finish();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw fail((err as Error).message);
  }
  if (!scanner.targetSeen) {
    throw fail(path.length ? `no array or object under ${path.map((k) => `"${k}"`).join(' > ')}` : 'the document is not an array or object');
  }
}
