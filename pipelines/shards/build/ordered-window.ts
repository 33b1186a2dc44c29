/**
 * Keeps up to `size` items in flight while handing their results on in input order: records are
 * resolved concurrently (their images decode in parallel) but shards are written deterministically.
 */
export class OrderedWindow<T> {
  private readonly items: Promise<T>[] = [];

  constructor(private readonly size: number, private readonly handle: (item: T) => Promise<void>) {}

  /** Adds an item; waits for the oldest ones while the window is full. */
  async push(item: Promise<T>): Promise<void> {
    item.catch(() => undefined);
    this.items.push(item);
    while (this.items.length >= this.size) await this.handle(await this.items.shift()!);
  }

  async drain(): Promise<void> {
    while (this.items.length > 0) await this.handle(await this.items.shift()!);
  }

  /** After a failure: lets what is in flight finish without handling it. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.items.splice(0));
  }
}
