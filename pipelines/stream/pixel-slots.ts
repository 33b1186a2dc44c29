/**
 * The pixel pool's output area: one SharedArrayBuffer of fixed image slots that the workers write
 * normalized planes into and the main thread copies out of, handed out whole slots at a time.
 *
 * Shared memory so nothing crosses the thread boundary per image; allocated once per pool (and
 * image size) because V8 counts every new ArrayBuffer an isolate receives towards its next full
 * GC, and with ~20 MB arriving per batch that meant a mark-compact every couple of batches.
 */
export class PixelSlots {
  readonly planes: Float32Array<SharedArrayBuffer>;
  private readonly free: number[];
  private readonly waiting: { count: number; grant: (slots: number[]) => void }[] = [];

  constructor(readonly plane: number, readonly count: number) {
    this.planes = new Float32Array(new SharedArrayBuffer(count * plane * Float32Array.BYTES_PER_ELEMENT));
    this.free = Array.from({ length: count }, (_, i) => count - 1 - i);
  }

  /** `count` slots, once that many are free; requests are granted in order. */
  take(count: number): Promise<number[]> {
    if (count > this.count) return Promise.reject(new RangeError(`${count} slots asked of ${this.count}`));
    return new Promise((grant) => {
      this.waiting.push({ count, grant });
      this.grant();
    });
  }

  give(slots: readonly number[]): void {
    this.free.push(...slots);
    this.grant();
  }

  /** The planes of `slot`. */
  view(slot: number): Float32Array<SharedArrayBuffer> {
    return this.planes.subarray(slot * this.plane, (slot + 1) * this.plane);
  }

  private grant(): void {
    while (this.waiting.length > 0 && this.waiting[0].count <= this.free.length) {
      const { count, grant } = this.waiting.shift()!;
      grant(this.free.splice(this.free.length - count, count));
    }
  }
}
