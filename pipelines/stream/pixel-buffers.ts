/**
 * Batch pixel arrays handed back by the consumer and reused. A batch of 16 images at 224 px is a
 * 9.6 MB array; allocating one per batch made V8 run a full collection every few batches (about
 * 1.5 ms of main-thread CPU per image, a fifth of the cost of decoding it).
 */
export class PixelBuffers {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly outstanding = new WeakSet<Float32Array>();

  /** At most `keep` free arrays per length are kept; more are left to the garbage collector. */
  constructor(private readonly keep = 8) {}

  /** An array of `length` values: a given-back one (`reused`, holding old values) or a new one of zeros. */
  take(length: number): { data: Float32Array; reused: boolean } {
    const reused = this.free.get(length)?.pop();
    const data = reused ?? new Float32Array(length);
    this.outstanding.add(data);
    return { data, reused: reused !== undefined };
  }

  /** Gives back an array from take(); its holder must not read or write it afterwards. */
  give(data: Float32Array): void {
    if (!this.outstanding.delete(data)) throw new Error('pixel buffer given back twice, or not taken from this pool');
    const list = this.free.get(data.length) ?? [];
    if (list.length < this.keep) list.push(data);
    this.free.set(data.length, list);
  }
}
