/**
 * Keeps up to `size` items in flight while handing their results on in input order: records are
 * resolved concurrently (their images decode in parallel) but shards are written deterministically.
 */
export class OrderedWindow<T> {
  private readonly items: (T | Promise<T>)[] = [];

  /** `handle` may return a promise; the next item waits for it. */
  constructor(private readonly size: number, private readonly handle: (item: T) => Promise<void> | void) {}

  /** Adds an item (a value, or a promise of one); handles the oldest ones while the window is full. */
  async push(item: T | Promise<T>): Promise<void> {
    if (item instanceof Promise) item.catch(() => undefined);
    this.items.push(item);
    while (this.items.length >= this.size) await this.handleOldest();
  }

  async drain(): Promise<void> {
    while (this.items.length > 0) await this.handleOldest();
  }

  private async handleOldest(): Promise<void> {
    const head = this.items.shift()!;
    const handled = this.handle(head instanceof Promise ? await head : head);
    if (handled) await handled;
  }

  /** After a failure: lets what is in flight finish without handling it. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.items.splice(0));
  }
}
