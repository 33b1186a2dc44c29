/**
 * A shortcut through a target array of objects written the way JSON serialisers write records
 * (no spaces between members, every member's first key the same, as in the VQAv2, COCO and OK-VQA
 * files): rather than scanning every byte for strings and nesting (json-stream-container.ts, a
 * quarter of a VQAv2 build's main thread), learn how the first member opens (`{"question_type":`),
 * cut the bytes at the first `},` followed by that opening once a batch holds BATCH_BYTES, and give
 * each batch to JSON.parse whole. The opening keeps cuts off nested objects (VQAv2's ten answers
 * each). Batches stay near BATCH_BYTES whatever the read size: a megabyte of members parsed at once
 * outlived the young generation's collections and was all copied into the old one.
 *
 * The parse is the check. The pending bytes start where a member starts; a cut inside a string
 * leaves that string unterminated, a cut inside a member's nested container leaves a bracket open,
 * and a cut past the end of the array leaves text after the wrapped value, so each makes JSON.parse
 * throw. A parse that succeeds has therefore read whole members up to a member-level comma, exactly
 * as the byte scan would. When one throws, the first member is no object, or no cut turns up within
 * MAX_PENDING_BYTES, the caller takes the pending bytes back and scans them the careful way, which
 * also finds the array's end and words any error.
 */
import { isAscii } from 'node:buffer';
import { isJsonSpace } from './json-stream-container.ts';

/** Bytes of members parsed at once, as json-stream-container.ts batches them. */
const BATCH_BYTES = 64 * 1024;
const OPEN_OBJECT = 0x7b;
const COLON = 0x3a;
/** A first key longer than this is not worth learning. */
const MAX_OPENING_BYTES = 256;
/** Members this long between cuts mean the shortcut does not fit the file. */
const MAX_PENDING_BYTES = 1024 * 1024;

export class ArraySkim {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** `},` and the first member's bytes up to its first colon, once the pending bytes hold them. */
  private boundary: Buffer | undefined;

  /** `offset`: the file offset of the first byte the skim is given, where a member starts. */
  constructor(private offset: number) {}

  /** File offset of the first pending byte. */
  get pendingOffset(): number {
    return this.offset;
  }

  /**
   * Takes bytes that follow the pending ones: `used` of them are consumed (the caller offers the
   * rest again), and `values` are the members completed by a cut among them (JSON values, in
   * order; empty when no cut was made). Undefined when the shortcut failed: the pending bytes,
   * `bytes` included, must then be scanned (takeBack).
   */
  take(bytes: Buffer): { values: unknown[]; used: number } | undefined {
    if (this.boundary === undefined) {
      // Once learned, the bytes it was learned from are looked at for a cut like any others: holding
      // a first read of a megabyte whole made one batch of thousands of records, and after it V8
      // copied nearly every later batch into the old generation (400 MB a VQAv2 pass, not 60).
      const learned = this.learnBoundary(bytes);
      if (learned !== true) {
        this.hold(bytes);
        return learned === false ? undefined : { values: [], used: bytes.length };
      }
    }
    const cut = bytes.indexOf(this.boundary!, Math.max(0, BATCH_BYTES - this.pendingBytes));
    if (cut < 0) {
      this.hold(bytes);
      return this.pendingBytes > MAX_PENDING_BYTES ? undefined : { values: [], used: bytes.length };
    }
    const text = Buffer.allocUnsafe(this.pendingBytes + cut + 3);
    text[0] = 0x5b;
    let at = 1;
    for (const part of this.pending) at += part.copy(text, at);
    at += bytes.copy(text, at, 0, cut + 1);
    text[at] = 0x5d;
    let values: unknown[];
    try {
      // Most dataset JSON is ASCII: read as latin1 (the same characters) it decodes three times faster than as UTF-8.
      values = JSON.parse(text.toString(isAscii(text) ? 'latin1' : 'utf8')) as unknown[];
    } catch {
      this.hold(bytes);
      return undefined;
    }
    this.offset += this.pendingBytes + cut + 2;
    this.pending = [];
    this.pendingBytes = 0;
    return { values, used: cut + 2 };
  }

  /** The pending bytes, in order, for the careful scan; the skim is done after this. */
  takeBack(): Buffer[] {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return parts;
  }

  /**
   * Sets `boundary` from the first member's opening, read from the pending bytes and `next`: true;
   * undefined while too few bytes are in; false when it cannot be had.
   */
  private learnBoundary(next: Buffer): boolean | undefined {
    const head = Buffer.concat([...this.pending, next]).subarray(0, MAX_OPENING_BYTES + 64);
    let start = 0;
    while (start < head.length && isJsonSpace(head[start]!)) start++;
    if (start === head.length) return head.length > 64 ? false : undefined;
    if (head[start] !== OPEN_OBJECT) return false;
    const colon = head.indexOf(COLON, start);
    if (colon < 0) return head.length - start > MAX_OPENING_BYTES ? false : undefined;
    if (colon - start > MAX_OPENING_BYTES) return false;
    this.boundary = Buffer.concat([Buffer.from('},'), head.subarray(start, colon + 1)]);
    return true;
  }

  private hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }
}
