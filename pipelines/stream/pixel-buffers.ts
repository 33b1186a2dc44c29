/**
 * Batch pixel arrays handed back by the consumer and reused. A batch of 16 images at 224 px is a
 * 9.6 MB array; allocating one per batch made V8 run a full collection every few batches (about
 * 1.5 ms of main-thread CPU per image, a fifth of the cost of decoding it).
 *
 * New arrays live in shared memory, so the decoding workers write straight into them (pixel-pool.ts)
 * instead of into a slot the main thread then copies out of. V8 does not count shared memory towards
 * its collections, though, so a consumer that never gives arrays back would pile them up: once
 * `keep` arrays are out and not given back, new ones are ordinary arrays again.
 */
export class PixelBuffers {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly outstanding = new WeakSet<Float32Array>();
  private shared = 0;

  /** At most `keep` free arrays per length are kept, and at most `keep` shared ones out at once. */
  constructor(private readonly keep = 8) {}

  /** An array of `length` values: a given-back one (`reused`, holding old values) or a new one of zeros. */
  take(length: number): { data: Float32Array; reused: boolean } {
    const reused = this.free.get(length)?.pop();
    let data = reused;
    if (data === undefined && this.shared < this.keep) {
      data = new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
      this.shared++;
    }
    data ??= new Float32Array(length);
    this.outstanding.add(data);
    return { data, reused: reused !== undefined };
  }

  /** Gives back an array from take(); its holder must not read or write it afterwards. */
  give(data: Float32Array): void {
    if (!this.outstanding.delete(data)) throw new Error('pixel buffer given back twice, or not taken from this pool');
    const list = this.free.get(data.length) ?? [];
    if (list.length < this.keep) list.push(data);
    else if (data.buffer instanceof SharedArrayBuffer) this.shared--;
    this.free.set(data.length, list);
  }
}
